import { describe, expect, it } from 'vitest';
import { parseTemplate } from './template.js';

describe('parseTemplate', () => {
  it('splits the kcat fields from the text between them', () => {
    expect(parseTemplate('%k %v@%p')).toEqual([{ field: 'k' }, { literal: ' ' }, { field: 'v' }, { literal: '@' }, { field: 'p' }]);
    expect(parseTemplate('%t/%o %T %h %s %S %K')).toHaveLength(13);
  });

  it('reads escapes and a literal percent sign, and keeps unknown fields as text', () => {
    expect(parseTemplate('%k\\t%p\\n')).toEqual([{ field: 'k' }, { literal: '\t' }, { field: 'p' }, { literal: '\n' }]);
    expect(parseTemplate('100%% %x %')).toEqual([{ literal: '100% %x %' }]);
  });
});
