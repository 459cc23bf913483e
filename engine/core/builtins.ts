/**
 * Built-in plugins, loaded by name from the config's `plugins` list. The list itself lives with
 * the plugins (plugins/index.ts): the core names no venue, strategy or fee model.
 */
export { BUILTIN_PLUGINS } from '../../plugins/index.ts';
