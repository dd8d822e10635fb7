/** A rule that cannot be compiled, with the JsonLogic path of the fault (e.g. `and[1].regex[1]`). */
export class JsonLogicCompileError extends Error {
  constructor(readonly logicPath: string, readonly reason: string) {
    super(`${logicPath ? `${logicPath}: ` : ''}${reason}`);
    this.name = 'JsonLogicCompileError';
  }
}
