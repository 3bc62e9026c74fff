/**
 * Synthetic IoT data for `produce --generate`: messages that conform to a topic's Avro
 * schema and look like a fleet of devices reporting. Each device has a site, a kind of
 * measurement and a value that drifts as real readings do; the device id is the key, so
 * per-device ordering holds. The same seed gives the same devices, keys and values.
 */
import type { AvroSchema, RecordSchema } from '../schemas/index.js';

export interface GeneratorOptions {
  seed: number;
  /** How many messages will be drawn; timestamps span the history that many readings need. */
  count: number;
  /** The newest reading's time; the readings lead up to it. */
  endMs: number;
  /** Default: one device per 10 messages, at least 5 (fewer only for fewer messages) and at most 100. */
  devices?: number;
  /** How often each device reports. Default 10 s. */
  intervalMs?: number;
}

export interface GeneratedMessage {
  key: string;
  /** Plain JSON (unions not wrapped), as a user would write it. */
  value: unknown;
}

interface Measurement {
  unit: string;
  low: number;
  high: number;
  step: number;
  min: number;
  max: number;
}

const MEASUREMENTS: readonly Measurement[] = [
  { unit: 'C', low: 18, high: 26, step: 0.15, min: -40, max: 85 },
  { unit: '%RH', low: 35, high: 65, step: 0.6, min: 0, max: 100 },
  { unit: 'hPa', low: 995, high: 1025, step: 0.2, min: 870, max: 1085 },
  { unit: 'ppm', low: 420, high: 900, step: 8, min: 380, max: 5000 },
  { unit: 'lx', low: 50, high: 800, step: 15, min: 0, max: 100_000 },
];

const SITES: readonly { name: string; lat: number; lon: number; altitude: number }[] = [
  { name: 'ams', lat: 52.3676, lon: 4.9041, altitude: -2 },
  { name: 'ber', lat: 52.52, lon: 13.405, altitude: 34 },
  { name: 'lys', lat: 45.764, lon: 4.8357, altitude: 173 },
  { name: 'mil', lat: 45.4642, lon: 9.19, altitude: 120 },
  { name: 'osl', lat: 59.9139, lon: 10.7522, altitude: 23 },
  { name: 'mad', lat: 40.4168, lon: -3.7038, altitude: 667 },
];

const MODELS = ['TH-200', 'AQ-310', 'PX-120', 'LX-50'];
const FIRMWARE = ['2.3.1', '2.4.0', '2.4.2', '3.0.0-rc1'];

/** sfc32: small, fast and good enough for test data; seeded through splitmix32. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  const split = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
}

interface Device {
  id: string;
  measurement: Measurement;
  reading: number;
  target: number;
  lat: number;
  lon: number;
  altitude: number;
  site: string;
  model: string;
  firmware: string;
  battery: number;
  /** Offset of this device's reports within each interval. */
  phaseMs: number;
  /** Values that depend on the device alone, by slot: made on first use, then shared by its every reading. */
  shared: unknown[];
}

interface Draw {
  device: Device;
  timestampMs: number;
}

/** Makes one field's value for a draw. */
type Make = (draw: Draw) => unknown;

export function generateMessages(schema: AvroSchema, options: GeneratorOptions): Iterable<GeneratedMessage> {
  return new MessageGenerator(schema, options);
}

class MessageGenerator implements Iterable<GeneratedMessage> {
  private readonly random: () => number;
  private readonly devices: Device[];
  private readonly intervalMs: number;
  private readonly rounds: number;
  private readonly makeValue: Make;
  /** Makers whose value depends on the device alone, not on the draw's time or on chance. */
  private readonly perDevice = new WeakSet<Make>();
  private sharedSlots = 0;
  private readonly records = new Map<RecordSchema, Make>();

  constructor(
    schema: AvroSchema,
    private readonly options: GeneratorOptions,
  ) {
    this.random = seededRandom(options.seed);
    const deviceCount = Math.max(1, options.devices ?? Math.min(options.count, 100, Math.max(5, Math.ceil(options.count / 10))));
    this.intervalMs = options.intervalMs ?? 10_000;
    this.rounds = Math.max(1, Math.ceil(options.count / deviceCount));
    this.devices = Array.from({ length: deviceCount }, (_, i) => this.newDevice(i));
    this.makeValue = this.compile(schema, '');
  }

  *[Symbol.iterator](): Iterator<GeneratedMessage> {
    const order = this.devices.map((_, i) => i);
    for (let index = 0; index < this.options.count; index++) {
      const slot = index % this.devices.length;
      // Devices report in a different order each round, as they would.
      if (slot === 0) this.shuffle(order);
      const device = this.devices[order[slot]!]!;
      const round = Math.floor(index / this.devices.length);
      this.advance(device);
      const draw: Draw = { device, timestampMs: this.options.endMs - (this.rounds - 1 - round) * this.intervalMs - device.phaseMs };
      yield { key: device.id, value: this.makeValue(draw) };
    }
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private between(low: number, high: number): number {
    return low + this.random() * (high - low);
  }

  private gaussian(): number {
    const u = 1 - this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  private shuffle(order: number[]): void {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }

  private newDevice(index: number): Device {
    const measurement = this.pick(MEASUREMENTS);
    const site = this.pick(SITES);
    const target = this.between(measurement.low, measurement.high);
    return {
      id: `sensor-${String(index + 1).padStart(4, '0')}`,
      measurement,
      reading: target,
      target,
      lat: round(site.lat + this.between(-0.02, 0.02), 6),
      lon: round(site.lon + this.between(-0.02, 0.02), 6),
      altitude: round(site.altitude + this.between(0, 40), 1),
      site: site.name,
      model: this.pick(MODELS),
      firmware: this.pick(FIRMWARE),
      battery: Math.round(this.between(40, 100)),
      phaseMs: Math.floor(this.random() * this.intervalMs),
      shared: [],
    };
  }

  /** A random walk pulled back towards the device's usual level. */
  private advance(device: Device): void {
    const { step, min, max } = device.measurement;
    device.reading = Math.min(max, Math.max(min, device.reading + (device.target - device.reading) * 0.05 + this.gaussian() * step));
  }

  /** What the schema asks for is worked out once per field, not for every message: the result makes a field's value from a draw. */
  private compile(schema: AvroSchema, field: string): Make {
    const name = field.toLowerCase();
    switch (schema.type) {
      case 'null':
        return this.ofDevice(() => null);
      case 'boolean':
        return () => this.random() < 0.5;
      case 'int':
        return () => Math.floor(this.between(0, 1000));
      case 'long':
        if (schema.logicalType?.name === 'timestamp-millis') return (draw) => draw.timestampMs;
        if (schema.logicalType?.name === 'timestamp-micros') return (draw) => draw.timestampMs * 1000;
        return () => Math.floor(this.between(0, 1_000_000));
      case 'float':
      case 'double':
        return this.number(name);
      case 'string':
        return this.text(name, schema.logicalType?.name);
      case 'bytes':
        return () => this.byteString(8 + Math.floor(this.random() * 9));
      case 'fixed': {
        const { size } = schema;
        return () => this.byteString(size);
      }
      case 'enum': {
        const known = schema.symbols.filter((s) => s !== 'UNKNOWN');
        const symbols = known.length > 0 ? known : schema.symbols;
        return () => this.pick(symbols);
      }
      case 'array': {
        const item = this.compile(schema.items, field);
        return (draw) => Array.from({ length: Math.floor(this.random() * 4) }, () => item(draw));
      }
      case 'map':
        if (name === 'metadata' && schema.values.type === 'string') return this.shared(({ device }) => this.metadata(device));
        return this.genericMap(this.compile(schema.values, field), field);
      case 'record':
        return this.record(schema);
      case 'union': {
        const present = schema.branches.filter((b) => b.type !== 'null');
        if (present.length === 0) return this.ofDevice(() => null);
        const branches = present.map((b) => this.compile(b, field));
        const optional = present.length < schema.branches.length;
        const presence = presenceRate(name);
        const make: Make = (draw) => (optional && this.random() >= presence ? null : this.pick(branches)(draw));
        // A device has a location or has none: what depends on the device alone is there or not for the device.
        return branches.every((b) => this.perDevice.has(b)) ? this.shared(make) : make;
      }
    }
  }

  /** Fields are compiled once per record type; a recursive record refers to its own maker. */
  private record(schema: RecordSchema): Make {
    const known = this.records.get(schema);
    if (known) return known;
    const names = schema.fields.map((f) => f.name);
    let makers: Make[] = [];
    const build: Make = (draw) => {
      const result: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) result[names[i]!] = makers[i]!(draw);
      return result;
    };
    let current = build;
    // What a field of the record's own type calls: the record is still being compiled then.
    this.records.set(schema, (draw) => current(draw));
    makers = schema.fields.map((f) => this.compile(f.schema, f.name));
    // A record that refers to itself is not yet known to depend on the device alone: it is made per reading.
    if (makers.every((m) => this.perDevice.has(m))) current = this.shared(build);
    return current;
  }

  /** Marks a maker as depending on the device alone. */
  private ofDevice(make: Make): Make {
    this.perDevice.add(make);
    return make;
  }

  /**
   * A maker for a value that depends on the device alone: made once per device, frozen and
   * shared by the device's every reading (an encoder may keep a frozen value's bytes).
   */
  private shared(make: Make): Make {
    const slot = this.sharedSlots++;
    return this.ofDevice(({ device, timestampMs }) => {
      let value = device.shared[slot];
      if (value === undefined) device.shared[slot] = value = Object.freeze(make({ device, timestampMs }));
      return value;
    });
  }

  private number(name: string): Make {
    if (name === 'value' || name === 'reading') return ({ device }) => round(device.reading, 2);
    if (name === 'lat' || name === 'latitude') return this.ofDevice(({ device }) => device.lat);
    if (name === 'lon' || name === 'lng' || name === 'longitude') return this.ofDevice(({ device }) => device.lon);
    if (name === 'altitude' || name === 'alt') return this.ofDevice(({ device }) => device.altitude);
    if (name.includes('battery')) return this.ofDevice(({ device }) => device.battery);
    return () => round(this.between(0, 100), 2);
  }

  private text(name: string, logicalType: string | undefined): Make {
    if (logicalType === 'uuid' || name.endsWith('uuid') || name === 'event_id') return () => this.uuid();
    if (/(^|_)(sensor|device)_?id$/.test(name) || name === 'deviceid' || name === 'sensorid') return this.ofDevice(({ device }) => device.id);
    if (name === 'unit') return this.ofDevice(({ device }) => device.measurement.unit);
    if (name.includes('firmware')) return this.ofDevice(({ device }) => device.firmware);
    if (name === 'model') return this.ofDevice(({ device }) => device.model);
    if (name === 'site' || name === 'location') return this.ofDevice(({ device }) => device.site);
    return () => `${name || 'value'}-${Math.floor(this.random() * 1000)}`;
  }

  private metadata(device: Device): Record<string, string> {
    return { site: device.site, model: device.model, firmware: device.firmware, battery: String(device.battery) };
  }

  private genericMap(value: Make, field: string): Make {
    return (draw) => {
      const result: Record<string, unknown> = {};
      const entries = 1 + Math.floor(this.random() * 3);
      for (let i = 0; i < entries; i++) result[`${field || 'key'}${i}`] = value(draw);
      return result;
    };
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((Math.floor(this.random() * 4) + 8) as number).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  /** Avro's JSON form of bytes: one character per byte. */
  private byteString(length: number): string {
    return String.fromCharCode(...Array.from({ length }, () => Math.floor(this.random() * 256)));
  }
}

/** Optional fields that are nearly always there in real data, and the rest. */
function presenceRate(name: string): number {
  if (name === 'location' || name === 'metadata') return 0.9;
  if (name === 'altitude') return 0.6;
  return 0.5;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
