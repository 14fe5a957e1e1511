/** `newsstand disable` / `enable`: a source switched off and on in newsstand.yml, through config/edit.ts (comments and layout stay). */
import { editConfigFile, setSourceDisabledText } from '../config/edit.js';
import type { Config } from '../config/load.js';
import { describeSource, onlySource } from '../sources/match.js';
import { fetchedNames } from './state.js';

export interface ToggleOptions {
  config: Config;
  /** A name, URL, route or file. */
  name: string;
  /** true: disable; false: enable. */
  disabled: boolean;
}

export interface ToggleResult {
  source: string;
  line: number;
  disabled: boolean;
  /** False when the source already was as asked. */
  changed: boolean;
}

export async function setSourceDisabled({ config, name, disabled }: ToggleOptions): Promise<ToggleResult> {
  const names = fetchedNames(config);
  const source = onlySource(config, name, names);
  const result = { source: describeSource(source, names.get(source.key)), line: source.line, disabled };
  if (source.disabled === disabled) return { ...result, changed: false };
  const index = config.sources.indexOf(source);
  await editConfigFile(config.file, (text) => setSourceDisabledText(text, index, disabled));
  return { ...result, changed: true };
}
