import { z } from 'zod';
import { compile, JsonLogicCompileError, type Evaluator } from '@oktel/jsonlogic';
import { recordScope } from './record-view.js';

const route = z.strictObject({
  condition: z
    .custom<unknown>((v) => v !== undefined, 'a JsonLogic condition is required')
    .describe('JsonLogic over attributes.<key>, resource.<key>, event_name, severity_number, severity_text, body.<path>.'),
  pipelines: z.array(z.string().min(1)).min(1).describe('Pipelines that get the records meeting the condition.'),
});

export const routingConfigSchema = z
  .strictObject({
    table: z.array(route).min(1).describe('Routes, in order: a record goes to the pipelines of the first route whose condition it meets.'),
    default_pipelines: z.array(z.string().min(1)).default([]).describe('Pipelines for records no route takes (none: such records are dropped and counted).'),
    error_mode: z
      .enum(['propagate', 'ignore'])
      .default('ignore')
      .describe('A condition that throws: ignore sends the record to default_pipelines and counts it; propagate fails the batch.'),
  })
  .transform((config, ctx) => {
    const conditions: Evaluator[] = [];
    config.table.forEach((r, i) => {
      try {
        conditions.push(compile(r.condition, { scope: recordScope }));
      } catch (err) {
        if (!(err instanceof JsonLogicCompileError)) throw err;
        ctx.addIssue({ code: 'custom', path: ['table', i, 'condition'], message: `${err.logicPath ? `at ${err.logicPath}: ` : ''}${err.reason}` });
      }
    });
    return { ...config, conditions };
  });

export type RoutingConfig = z.output<typeof routingConfigSchema>;
