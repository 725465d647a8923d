// Rightsizing: advisory cores / memory / instance / monthly cost from measured resource use (pure).
export { recommend } from './recommend.ts';
export {
  DEFAULT_RIGHTSIZING_OPTIONS,
  type CurrentAllocation,
  type CurrentComparison,
  type Finding,
  type FindingKind,
  type InstanceChoice,
  type MeasuredTrial,
  type RegressionCost,
  type RightsizingInput,
  type RightsizingOptions,
  type RightsizingReport,
} from './model.ts';
export {
  DEFAULT_FAMILIES,
  HOURS_PER_MONTH,
  InstancePriceSchema,
  PROVIDERS,
  PriceTableSchema,
  SHIPPED_PRICE_TABLES,
  monthlyUsd,
  priceTableWarnings,
  validatePriceTable,
  type InstancePrice,
  type PriceTable,
  type PriceTableValidation,
  type Provider,
} from './prices.ts';
export { rightsizingForRun, type ScenarioRightsizing, type RightsizingSettings } from './from-run.ts';
