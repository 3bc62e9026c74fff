import { CONTAINER_PORTS } from './compose.js';
import { brokerNodes, type ClusterProfile } from './profiles.js';

/**
 * deploy/haproxy/haproxy.cfg: one bootstrap address for clients of the prod stack. A client
 * asks any broker behind it for metadata, then talks to each broker at the address that
 * broker advertises, so HAProxy forwards to the brokers' external listener.
 */
export function haproxyConfig(profile: ClusterProfile): string {
  const servers = brokerNodes(profile).map((n) => `    server ${n.name} ${n.name}:${CONTAINER_PORTS.external}`);
  return `# Client bootstrap for the ${profile.env} stack (deploy/docker-compose.${profile.env}.yml).
# Generated from src/core/cluster/profiles.ts: edit the profile, then run
# "npx vitest run src/core/cluster/compose.test.ts -u".
global
    log stdout format raw local0
    maxconn 4096

defaults
    mode tcp
    log global
    timeout connect 5s
    timeout client 2m
    timeout server 2m

# Docker's embedded DNS: a broker is found again under its service name after a restart.
resolvers docker
    nameserver dns 127.0.0.11:53
    hold valid 10s

frontend kafka_bootstrap
    bind :${CONTAINER_PORTS.external}
    option tcplog
    default_backend kafka_brokers

backend kafka_brokers
    balance roundrobin
    # A broker that is down is taken out of the rotation until it answers again.
    default-server check inter 5s fall 2 rise 2 resolvers docker init-addr last,libc,none
${servers.join('\n')}

frontend stats
    mode http
    bind :${CONTAINER_PORTS.stats}
    stats enable
    stats uri /stats
    stats refresh 10s
    monitor-uri /healthz
`;
}
