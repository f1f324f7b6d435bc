export { attachQuivo } from './attach-quivo.js';
export type { QuivoAxiosOverrides } from './augment.js';
