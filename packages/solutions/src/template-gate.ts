import type { Project } from '@fbs/core';
import type { SolutionNaming } from './naming';

/**
 * Keeps the template databases out of reach: their aliases resolve only while the template store
 * migrates them (inside {@link TemplateGate.access}), and are forgotten afterwards, so neither a
 * `withSolution('template…')` nor a stray alias lookup reaches a template as if it were a tenant.
 */
export class TemplateGate {
  readonly #naming: SolutionNaming;
  readonly #template: string | undefined;
  readonly #project: Project;
  /** Template databases being migrated, with a count of users. */
  readonly #open = new Map<string, number>();

  /** `template`: the template databases' solution name, or undefined when templates are off. */
  constructor(naming: SolutionNaming, template: string | undefined, project: Project) {
    this.#naming = naming;
    this.#template = template;
    this.#project = project;
  }

  /** Whether `alias` is a template database that may not resolve right now. */
  closed(alias: string): boolean {
    return this.#template !== undefined && !this.#open.has(alias) && this.#naming.parse(alias)?.solution === this.#template;
  }

  /** Lets the alias `database` resolve while `fn` runs, then removes it from the project. */
  async access<T>(database: string, fn: () => Promise<T>): Promise<T> {
    this.#open.set(database, (this.#open.get(database) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const left = this.#open.get(database)! - 1;
      if (left > 0) this.#open.set(database, left);
      else {
        this.#open.delete(database);
        await this.#project.removeDatabase(database);
      }
    }
  }
}
