/** The dashboard's views, in the header's order. */
import type { View } from '../view.js';
import { overview } from './overview.js';

export const VIEWS: View[] = [overview];
