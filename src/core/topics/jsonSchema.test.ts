import { describe, expect, it } from 'vitest';
import { TOPIC_CONFIG_NAMES } from './configCatalog.js';
import { topicsJsonSchema } from './jsonSchema.js';

describe('topics.schema.json', () => {
  it('is the checked-in file (regenerate with: npx vitest run --project unit src/core/topics/jsonSchema.test.ts -u)', async () => {
    await expect(`${JSON.stringify(topicsJsonSchema(), null, 2)}\n`).toMatchFileSnapshot('../../../topics.schema.json');
  });

  it('lists every catalogue config and nothing else', () => {
    const schema = topicsJsonSchema();
    const definitions = schema.definitions as { configs: { properties: Record<string, unknown>; additionalProperties: boolean } };
    expect(Object.keys(definitions.configs.properties)).toEqual(TOPIC_CONFIG_NAMES);
    expect(definitions.configs.additionalProperties).toBe(false);
  });
});
