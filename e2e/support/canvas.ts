/** What a chart actually painted, read back from its canvas in the page. */
import type { Page } from '@playwright/test';

/** Pixels of the chart's canvas that are not blank: proof something was painted, not only configured. */
export async function paintedPixels(page: Page, testId: string): Promise<number> {
  return page
    .getByTestId(testId)
    .locator('canvas')
    .evaluate((element) => {
      // The e2e project has no DOM lib: the canvas API used here, typed by hand.
      const canvas = element as unknown as {
        width: number;
        height: number;
        getContext(
          kind: '2d',
        ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
      };
      const context = canvas.getContext('2d');
      if (!context) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
      return painted;
    });
}
