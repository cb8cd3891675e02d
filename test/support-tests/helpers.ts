/** Shared setup for the fake's own tests: a world with one service, installed and torn down per test. */
import { FakeAws, type FakeAwsProps, type FakeService, type ServiceSpec } from '../support';

export interface Fixture {
  world: FakeAws;
  web: FakeService;
}

/** Creates a fresh world with service `web` before each test and restores the SDK after it. */
export function useWorld(spec: Partial<ServiceSpec> = {}, props: FakeAwsProps = {}): Fixture {
  const fixture = {} as Fixture;
  beforeEach(() => {
    fixture.world = new FakeAws(props).install();
    fixture.web = fixture.world.addService({ name: 'web', ...spec });
  });
  afterEach(() => fixture.world.restore());
  return fixture;
}

export const MINUTE = 60_000;
