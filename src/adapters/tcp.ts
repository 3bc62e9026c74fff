import { connect } from 'node:net';
import { socketReason } from './socketErrors.js';

export type TcpProbe = { open: true } | { open: false; reason: string };

/** Whether something accepts connections at host:port within `timeoutMs`, and if not, why. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<TcpProbe> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (result: TcpProbe) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ open: false, reason: `no answer within ${timeoutMs} ms` }));
    socket.once('connect', () => done({ open: true }));
    socket.once('error', (error) => done({ open: false, reason: socketReason(error) }));
  });
}
