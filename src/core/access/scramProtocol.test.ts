import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeAlterScramResponse, decodeDescribeScramResponse, encodeAlterScramRequest, encodeDescribeScramRequest, saltedCredential } from './scramProtocol.js';

const hex = (b: Buffer) => b.toString('hex');

describe('SCRAM credential requests (KIP-554), byte by byte', () => {
  it('asks for every user with an empty array, or for the users named', () => {
    // header tags | users: 0 (+1) | tags
    expect(hex(encodeDescribeScramRequest(null))).toBe('000100');
    // header tags | users: 1 (+1) | "ab" (2+1) | user tags | tags
    expect(hex(encodeDescribeScramRequest(['ab']))).toBe('00' + '02' + '036162' + '00' + '00');
  });

  it('deletes and upserts in one request: name, mechanism (1 = SHA-256, 2 = SHA-512), iterations, salt, salted password', () => {
    const upsertion = { user: 'v', mechanism: 'SCRAM-SHA-512' as const, iterations: 4096, salt: Buffer.of(1, 2), saltedPassword: Buffer.of(3) };
    const body = encodeAlterScramRequest([{ user: 'u', mechanism: 'SCRAM-SHA-256' }], [upsertion]);
    expect(hex(body)).toBe('00' + ('02' + '0275' + '01' + '00') + ('02' + '0276' + '02' + '00001000' + '030102' + '0203' + '00') + '00');
  });

  it('reads users with their mechanisms and iterations, and per-user errors', () => {
    const response = Buffer.from(
      '00' + '00000000' + '0000' + '00' +
        // 2 users: "svc" with SHA-512 x 8192, "nobody" with RESOURCE_NOT_FOUND (91) and a message
        '03' + ('04737663' + '0000' + '00' + '02' + ('02' + '00002000' + '00') + '00') + ('076e6f626f6479' + '005b' + '056e6f7065' + '01' + '00') + '00',
      'hex',
    );
    expect(decodeDescribeScramResponse(response)).toEqual({
      errorCode: 0,
      errorMessage: undefined,
      users: [
        { user: 'svc', errorCode: 0, errorMessage: undefined, credentials: [{ mechanism: 'SCRAM-SHA-512', iterations: 8192 }] },
        { user: 'nobody', errorCode: 91, errorMessage: 'nope', credentials: [] },
      ],
    });
    expect(decodeAlterScramResponse(Buffer.from('00' + '00000000' + '02' + ('0275' + '0000' + '00' + '00') + '00', 'hex'))).toEqual([{ user: 'u', errorCode: 0, errorMessage: undefined }]);
  });

  it('salts the password as RFC 7677 does: its SCRAM-SHA-256 exchange for "user"/"pencil" verifies', () => {
    // The example exchange of RFC 7677 section 3: the client proof follows from the salted password.
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const { saltedPassword } = saltedCredential('user', 'SCRAM-SHA-256', 'pencil', 4096, salt);
    const authMessage =
      'n=user,r=rOprNGfwEbeRWgbNEkqO,' +
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,' +
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const clientKey = createHmac('sha256', saltedPassword).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
    expect(proof.toString('base64')).toBe('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(saltedCredential('user', 'SCRAM-SHA-512', 'pencil', 4096, salt).saltedPassword).toHaveLength(64);
  });
});
