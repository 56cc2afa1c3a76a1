import type { SeedContext } from '@fbs/core';
import { SolutionSetting } from '../models/solution-setting';

export const name = '0001_default_settings';

/** Settings every solution starts with (djo_{solution}_db): `fbs-solutions seed --all`. */
export async function run({ model }: SeedContext): Promise<void> {
  await model(SolutionSetting).findOrCreate({ where: { key: 'timezone' }, defaults: { key: 'timezone', value: 'Europe/Paris' } });
}
