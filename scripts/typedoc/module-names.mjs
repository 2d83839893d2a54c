// TypeDoc plugin: names each module by its import path (`@totpkit/server/http/node`) instead of
// its source path relative to the packages (`server/src/http/node`), which is what users type.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      module.name = module.name.replace(/^(\w+)\/src(\/.*)?$/, '@totpkit/$1$2');
    }
  });
}
