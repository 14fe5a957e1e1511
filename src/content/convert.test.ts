import { describe, expect, it } from 'vitest';
import { OPENCC_CONVERSIONS } from '../config/schema.js';
import { chineseConverter } from './convert.js';

describe('chineseConverter', () => {
  it('knows every conversion the configuration accepts', () => {
    for (const name of OPENCC_CONVERSIONS) expect(chineseConverter(name)!('漢字')).toBeTypeOf('string');
  });

  it.each([
    ['t2s', '漢字與電腦網絡', '汉字与电脑网络'],
    ['s2t', '汉字与电脑网络', '漢字與電腦網絡'],
    ['s2tw', '网络软件', '網絡軟件'],
    ['s2twp', '网络软件', '網路軟體'],
    ['tw2sp', '網路軟體', '网络软件'],
    ['hk2s', '資訊', '资讯'],
  ])('%s: %s → %s', (conversion, input, output) => {
    expect(chineseConverter(conversion)!(input)).toBe(output);
  });

  it('leaves text without Chinese alone, and "" means no conversion', () => {
    expect(chineseConverter('t2s')!('plain ASCII & <tags>')).toBe('plain ASCII & <tags>');
    expect(chineseConverter('')).toBeNull();
  });
});
