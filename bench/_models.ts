/** Generated model classes for the benchmarks: `count` models in apps of `perApp`, each with a few columns. */
import { Column, DataType, Model, Table } from 'sequelize-typescript';
import { defineApp, type App } from '@fbs/core';

export function generatedApps(count: number, perApp: number, prefix = 'gen'): App[] {
  const apps: App[] = [];
  for (let a = 0; a * perApp < count; a++) {
    const models = [];
    for (let m = 0; m < perApp && a * perApp + m < count; m++) {
      const name = `${prefix[0]!.toUpperCase()}${prefix.slice(1)}Model${a}x${m}`;
      const cls = { [name]: class extends Model {} }[name]!;
      for (const column of ['title', 'code', 'note']) Column(DataType.STRING)(cls.prototype, column);
      Column(DataType.INTEGER)(cls.prototype, 'qty');
      Column(DataType.DATE)(cls.prototype, 'seenAt');
      Table({ timestamps: true })(cls);
      models.push(cls);
    }
    apps.push(defineApp({ label: `${prefix}_app${a}`, models }));
  }
  return apps;
}
