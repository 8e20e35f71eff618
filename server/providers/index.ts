import { createSimulator, type SimulatorTiming } from './simulator';
import { twilio } from './twilio';
import type { ProviderPlugin } from './types';

export interface ProviderRegistry {
  get(id: string): ProviderPlugin | undefined;
  dispose(): void;
}

export function createProviders(options: { simulatorTiming?: SimulatorTiming } = {}): ProviderRegistry {
  const simulator = createSimulator(options.simulatorTiming);
  const plugins = new Map<string, ProviderPlugin>([[twilio.id, twilio], [simulator.id, simulator]]);
  return { get: id => plugins.get(id), dispose: () => simulator.dispose() };
}
