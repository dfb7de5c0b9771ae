/** Configuration of the KAITO backend; the full schema lands with the plugin. */
export interface Config {}
