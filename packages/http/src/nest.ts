import { createParamDecorator, Inject, Module, type DynamicModule, type ExecutionContext, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { solutionMiddleware } from './express';
import type { SolutionGateOptions } from './solution-gate';

/** A route of `MiddlewareConsumer.exclude` (Nest's `RouteInfo`, not exported by @nestjs/common's index). */
export type ExcludedRoute = Parameters<ReturnType<MiddlewareConsumer['apply']>['exclude']>[number];

/** Options of {@link FbsSolutionsModule.forRoot}: the gate's, plus routes served without a solution. */
export interface FbsSolutionsModuleOptions extends SolutionGateOptions {
  /** System-only routes (Nest's `MiddlewareConsumer.exclude`): `['health', { path: 'signup', method: RequestMethod.POST }]`. */
  readonly exclude?: ReadonlyArray<ExcludedRoute>;
}

/** The injection token of the module's options. */
export const FBS_SOLUTIONS_OPTIONS = Symbol.for('@fbs/http/nest:options');

/**
 * NestJS module (on the Express platform): applies the `@fbs/http/express` middleware to every route,
 * so each request runs in its solution and a missing, malformed, unknown, dropped or suspended one is
 * refused before guards, interceptors and handlers. `exclude` lists the system-only routes.
 *
 * @example
 * ```ts
 * @Module({ imports: [FbsSolutionsModule.forRoot({ manager: solutions, exclude: ['health'] })], controllers: [PrefsController] })
 * class AppModule {}
 * ```
 */
@Module({})
export class FbsSolutionsModule implements NestModule {
  constructor(@Inject(FBS_SOLUTIONS_OPTIONS) private readonly options: FbsSolutionsModuleOptions) {}

  /** The module for `options` (global: one gate for the application). */
  static forRoot(options: FbsSolutionsModuleOptions): DynamicModule {
    return { module: FbsSolutionsModule, global: true, providers: [{ provide: FBS_SOLUTIONS_OPTIONS, useValue: options }], exports: [FBS_SOLUTIONS_OPTIONS] };
  }

  configure(consumer: MiddlewareConsumer): void {
    const applied = consumer.apply(solutionMiddleware(this.options));
    const exclude = this.options.exclude ?? [];
    (exclude.length > 0 ? applied.exclude(...exclude) : applied).forRoutes('{*path}');
  }
}

/**
 * The solution the request runs in, as a handler parameter (undefined on system routes).
 *
 * @example
 * ```ts
 * @Get('whoami') whoami(@CurrentSolution() solution: string) { return { solution }; }
 * ```
 */
export const CurrentSolution = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const response = context.switchToHttp().getResponse<{ locals?: { solution?: string } }>();
  return response.locals?.solution;
});
