import '@testing-library/jest-dom';

// @mui/x-charts measures its container; jsdom has no ResizeObserver.
class TestResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (!(globalThis as any).ResizeObserver) {
  (globalThis as any).ResizeObserver = TestResizeObserver;
}
