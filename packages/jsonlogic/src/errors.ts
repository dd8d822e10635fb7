import { PermanentError } from '@oktel/core/errors';

/** A rule that cannot be compiled, with the JsonLogic path of the fault (e.g. `and[1].regex[1]`). */
export class JsonLogicCompileError extends PermanentError {
  constructor(
    readonly logicPath: string,
    readonly reason: string,
  ) {
    super(`${logicPath ? `${logicPath}: ` : ''}${reason}`, { code: 'ERR_JSONLOGIC_COMPILE', context: { logicPath } });
  }
}
