import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Inject, Module, Param, Post, Put, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { fromPathParam } from '@fbs/http';
import { CurrentSolution, FbsSolutionsModule } from '@fbs/http/nest';
import { placeOrder, Product, SolutionSetting, type FbsPlatform } from '../../fbs/src';

/** The injection token of the FBS platform. */
export const FBS_PLATFORM = Symbol('FBS_PLATFORM');

/** A system route: served without a solution (excluded from the module's middleware). */
@Controller('health')
class HealthController {
  @Get()
  health() {
    return { ok: true };
  }
}

/** Everything under `/api/:solution`: runs in that solution; handlers never name it for the models. */
@Controller('api/:solution')
class SolutionController {
  constructor(@Inject(FBS_PLATFORM) private readonly fbs: FbsPlatform) {}

  @Get('products')
  async products() {
    const products = await this.fbs.project.model(Product).findAll({ order: [['sku', 'ASC']] });
    return products.map((p) => ({ sku: p.sku, name: p.name, price: p.price }));
  }

  @Put('settings/:key')
  async setting(@Param('key') key: string, @Body() body: { value: string }) {
    const [setting] = await this.fbs.project.model(SolutionSetting).upsert({ key, value: body.value });
    return { key: setting.key, value: setting.value };
  }

  @Post('orders')
  @HttpCode(201)
  async order(@CurrentSolution() solution: string, @Body() body: Parameters<typeof placeOrder>[2]) {
    const result = await placeOrder(this.fbs, solution, body);
    return { number: result.order.number, total: result.order.total, currency: result.currency };
  }
}

/**
 * The application module for `fbs`: `FbsSolutionsModule` applies `@fbs/http/express` to every route
 * (the solution from the path, `/api/:solution/...` → segment 1), `health` excluded as system-only.
 */
export function appModule(fbs: FbsPlatform): DynamicModule {
  @Module({})
  class AppModule {}
  return {
    module: AppModule,
    imports: [FbsSolutionsModule.forRoot({ manager: fbs.solutions, resolve: fromPathParam('solution', 1), exclude: ['health'] })],
    controllers: [HealthController, SolutionController],
    providers: [{ provide: FBS_PLATFORM, useValue: fbs }],
  };
}

/** The Nest application (Express platform) for `fbs`, not yet listening. */
export function createApp(fbs: FbsPlatform): Promise<INestApplication> {
  return NestFactory.create(appModule(fbs), { logger: false });
}
