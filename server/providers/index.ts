import { bandwidth } from './bandwidth';
import { plivo } from './plivo';
import { createSimulator, type SimulatorTiming } from './simulator';
import { sinch } from './sinch';
import { telnyx } from './telnyx';
import { twilio } from './twilio';
import type { ProviderPlugin } from './types';
import { vonage } from './vonage';

export interface ProviderRegistry {
  get(id: string): ProviderPlugin | undefined;
  dispose(): void;
}

export function createProviders(options: { simulatorTiming?: SimulatorTiming } = {}): ProviderRegistry {
  const simulator = createSimulator(options.simulatorTiming);
  const plugins = new Map<string, ProviderPlugin>(
    [twilio, telnyx, vonage, plivo, bandwidth, sinch, simulator].map(p => [p.id, p]),
  );
  return { get: id => plugins.get(id), dispose: () => simulator.dispose() };
}
