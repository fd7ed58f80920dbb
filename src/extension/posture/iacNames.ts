// Moved to the core (src/core/declarations/names.ts); kept so existing imports keep working.
export { IAC_KINDS, iacSiteNames, matchSiteIds } from '../../core/declarations/names';
