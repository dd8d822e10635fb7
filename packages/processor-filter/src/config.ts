import { z } from 'zod';
import { recordScope } from '@oktel/connector-routing';
import { compile, JsonLogicCompileError, type Evaluator } from '@oktel/jsonlogic';

export const filterConfigSchema = z
  .strictObject({
    log_conditions: z
      .array(z.custom<unknown>((v) => v !== undefined && v !== null, 'a JsonLogic condition is required'))
      .min(1)
      .describe(
        'JsonLogic conditions over attributes.<key>, resource.<key>, event_name, severity_number, severity_text, body.<path>; a record meeting any of them is dropped.',
      ),
    error_mode: z
      .enum(['ignore', 'propagate'])
      .default('ignore')
      .describe('A condition that throws on a record: ignore keeps the record and counts condition_errors; propagate fails the batch.'),
  })
  .transform((config, ctx) => {
    const conditions: Evaluator[] = [];
    config.log_conditions.forEach((logic, i) => {
      try {
        conditions.push(compile(logic, { scope: recordScope }));
      } catch (err) {
        if (!(err instanceof JsonLogicCompileError)) throw err;
        ctx.addIssue({ code: 'custom', path: ['log_conditions', i], message: `${err.logicPath ? `at ${err.logicPath}: ` : ''}${err.reason}` });
      }
    });
    return { ...config, conditions };
  });

export type FilterConfig = z.output<typeof filterConfigSchema>;
