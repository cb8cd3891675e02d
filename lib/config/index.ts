export * from './aws-limits';
export { ConfigError, type ConfigProblem } from './problems';
export { fargateSizeProblem, FARGATE_SIZES } from './fargate-sizes';
export {
  configSource,
  DEFAULT_SERVICES_DIR,
  SERVICES_DIR_ENV,
  formatPath,
  loadServiceConfigFile,
  loadServiceConfigs,
  MAX_YAML_ALIASES,
  readServiceConfigs,
  SERVICE_FILE_PATTERN,
  parseServiceConfig,
  validateServiceConfig,
  type ParseResult,
} from './loader';
export { DEFAULT_STEPS, IMAGE_PATTERN, MAX_IMAGE_LENGTH, SERVICE_NAME_PATTERN, serviceConfigSchema, type ServiceConfig, type ServiceConfigInput } from './schema';
