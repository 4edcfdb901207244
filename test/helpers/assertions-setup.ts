import { beforeEach, expect } from 'vitest';

// A test that reaches its end without one `expect` checked nothing, whatever its name says: fail it.
beforeEach(() => {
  expect.hasAssertions();
});
