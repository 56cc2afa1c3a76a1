import { defineApp } from '@fbs/core';
import * as initial from './migrations/0001_initial';
import * as defaultSettings from './seeds/0001_default_settings';
import { SolutionBusinessRule } from './models/solution-business-rule';
import { SolutionSession } from './models/solution-session';
import { SolutionSetting } from './models/solution-setting';
import { UserPreference } from './models/user-preference';

/** The label of the solution's application data, routed to `djo_{solution}_db`. */
export const SOLUTION_APP = 'solution_app';

/** `solution_app`: per-solution preferences, settings, sessions and business rules (the seed's "Solution Django" data). */
export const solutionApp = defineApp({
  label: SOLUTION_APP,
  models: [UserPreference, SolutionSetting, SolutionSession, SolutionBusinessRule],
  migrations: [initial],
  seeds: [defaultSettings],
});
