"""An independent Confluent-wire-format client for the interop tests: confluent-kafka's
AvroSerializer and AvroDeserializer with its SchemaRegistryClient.

  python messagesInterop.py consume <bootstrap> <registry> <topic> <count>   -> NDJSON on stdout
  python messagesInterop.py produce <bootstrap> <registry> <topic> <subject> -> NDJSON {key, value} on stdin
"""
import datetime
import json
import sys

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def plain(value):
    """fastavro reads timestamp-millis as datetime; the tests compare epoch milliseconds."""
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    raise TypeError(repr(value))


def consume(bootstrap, registry, topic, count):
    deserializer = AvroDeserializer(SchemaRegistryClient({"url": registry}))
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"interop-{topic}", "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    seen = 0
    try:
        while seen < count:
            message = consumer.poll(10)
            if message is None:
                raise SystemExit(f"read {seen} of {count} messages")
            if message.error():
                raise SystemExit(str(message.error()))
            value = deserializer(message.value(), SerializationContext(topic, MessageField.VALUE))
            key = message.key().decode() if message.key() is not None else None
            print(json.dumps({"partition": message.partition(), "offset": message.offset(), "key": key, "value": value}, default=plain), flush=True)
            seen += 1
    finally:
        consumer.close()


def produce(bootstrap, registry, topic, subject):
    # The subject's latest schema writes the values, as a service that does not own the schema would.
    serializer = AvroSerializer(
        SchemaRegistryClient({"url": registry}),
        None,
        conf={"auto.register.schemas": False, "use.latest.version": True, "subject.name.strategy": lambda ctx, name: subject},
    )
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True})
    failures = []
    for line in sys.stdin:
        if not line.strip():
            continue
        record = json.loads(line)
        payload = serializer(record["value"], SerializationContext(topic, MessageField.VALUE))
        producer.produce(topic, key=record["key"].encode(), value=payload, headers=[("producer", b"confluent-kafka-python")],
                         on_delivery=lambda err, msg: err and failures.append(str(err)))
    producer.flush(30)
    if failures:
        raise SystemExit("; ".join(failures))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "consume":
        consume(args[0], args[1], args[2], int(args[3]))
    else:
        produce(*args)
