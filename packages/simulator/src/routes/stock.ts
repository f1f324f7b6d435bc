import { JSON_TYPE } from '../gateway-responses.js';
import type { Reply } from '../reply.js';
import type { Route } from '../router.js';

/** One line of `GET /stock`. */
export interface StockItem {
  sku: string;
  name: string;
  quantity: number;
  warehouse: string;
}

export const DEFAULT_STOCK: readonly StockItem[] = Object.freeze([
  { sku: 'QV-1001', name: 'Shipping box S', quantity: 1200, warehouse: 'VIE-1' },
  { sku: 'QV-1002', name: 'Shipping box M', quantity: 640, warehouse: 'VIE-1' },
  { sku: 'QV-2001', name: 'Gift card', quantity: 0, warehouse: 'BER-2' },
]);

export function stockRoutes(stock: readonly StockItem[]): Route[] {
  // The list never changes, so it is serialised once.
  const reply: Reply = { status: 200, contentType: JSON_TYPE, body: Buffer.from(JSON.stringify(stock)) };
  return [{ method: 'GET', template: '/stock', key: 'GET /stock', auth: 'token', handle: () => reply }];
}
