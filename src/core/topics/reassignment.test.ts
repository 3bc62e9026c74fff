import { describe, expect, it } from 'vitest';
import { changeReplication, replicaLoad, replicationThrottle, type BrokerPlacement } from './reassignment.js';

const noRacks: BrokerPlacement[] = [1, 2, 3, 4].map((nodeId) => ({ nodeId, rack: null }));

describe('changeReplication', () => {
  it('adds replicas to the least loaded brokers, keeping the existing ones and their order', () => {
    const load = new Map([[1, 5], [2, 1], [3, 0], [4, 9]]);
    expect(changeReplication([[1], [2]], 3, noRacks, load)).toEqual({
      moves: [
        { partition: 0, from: [1], to: [1, 3, 2] },
        { partition: 1, from: [2], to: [2, 3, 1] },
      ],
    });
    // The moves count toward the load the next topic is placed by.
    expect(load).toEqual(new Map([[1, 6], [2, 2], [3, 2], [4, 9]]));
  });

  it('puts a new replica on a rack the partition does not use before a less loaded broker', () => {
    const brokers: BrokerPlacement[] = [
      { nodeId: 1, rack: 'a' },
      { nodeId: 2, rack: 'a' },
      { nodeId: 3, rack: 'b' },
    ];
    expect(changeReplication([[1]], 2, brokers, new Map([[3, 100]]))).toEqual({ moves: [{ partition: 0, from: [1], to: [1, 3] }] });
  });

  it('removes replicas but never the preferred leader, the most loaded first', () => {
    const load = new Map([[1, 9], [2, 1], [3, 7]]);
    expect(changeReplication([[1, 2, 3], [3, 2, 1]], 2, noRacks, load)).toEqual({
      moves: [
        { partition: 0, from: [1, 2, 3], to: [1, 2] },
        { partition: 1, from: [3, 2, 1], to: [3, 2] },
      ],
    });
  });

  it('removes first a replica on a broker that is gone, then one doubling a rack', () => {
    const brokers: BrokerPlacement[] = [
      { nodeId: 1, rack: 'a' },
      { nodeId: 2, rack: 'a' },
      { nodeId: 3, rack: 'b' },
    ];
    expect(changeReplication([[1, 9, 3]], 2, brokers, new Map())).toEqual({ moves: [{ partition: 0, from: [1, 9, 3], to: [1, 3] }] });
    expect(changeReplication([[3, 1, 2]], 2, brokers, new Map([[1, 0], [2, 5]]))).toEqual({ moves: [{ partition: 0, from: [3, 1, 2], to: [3, 1] }] });
  });

  it('moves nothing for partitions that already have the replication factor', () => {
    expect(changeReplication([[1, 2], [3]], 2, noRacks, new Map())).toEqual({ moves: [{ partition: 1, from: [3], to: [3, 1] }] });
  });

  it('is blocked when the cluster has fewer brokers than replicas asked for', () => {
    expect(changeReplication([[1]], 5, noRacks, new Map())).toEqual({ blocked: 'replication factor 5 needs 5 brokers, the cluster has 4' });
  });
});

describe('replicaLoad', () => {
  it('counts the replicas each broker holds', () => {
    expect(replicaLoad([[[1, 2], [2, 3]], [[2]]])).toEqual(new Map([[1, 1], [2, 3], [3, 1]]));
  });
});

describe('replicationThrottle', () => {
  it('throttles leaders on the replicas each partition has and followers on those it gains, on every broker involved', () => {
    expect(
      replicationThrottle([
        { topic: 'a', partition: 0, from: [1], to: [1, 2, 3] },
        { topic: 'a', partition: 1, from: [2, 3], to: [2] },
        { topic: 'b', partition: 0, from: [4], to: [4, 5] },
      ]),
    ).toEqual({
      topics: [
        { topic: 'a', leaderReplicas: '0:1,1:2,1:3', followerReplicas: '0:2,0:3' },
        { topic: 'b', leaderReplicas: '0:4', followerReplicas: '0:5' },
      ],
      brokers: [1, 2, 3, 4, 5],
    });
  });
});
