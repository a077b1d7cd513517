// The parts of Frictionless's datapackage library (no types of its own) that the open-data test uses.
declare module 'datapackage' {
  export function validate(descriptor: object): Promise<{ valid: boolean; errors: Error[] }>;
  export class Package {
    static load(descriptor: object, options?: { basePath?: string; strict?: boolean }): Promise<Package>;
    readonly valid: boolean;
    readonly errors: Error[];
    getResource(name: string): Resource | null;
  }
  export class Resource {
    readonly valid: boolean;
    readonly errors: Error[];
    readonly headers: string[];
    read(options?: { keyed?: boolean; cast?: boolean }): Promise<Record<string, unknown>[]>;
  }
}
