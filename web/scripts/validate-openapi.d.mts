// Types of validate-openapi.mjs for the Vitest test that imports it.
export declare const SPEC: string;
export declare function openapiProblems(text: string): Promise<string[]>;
export declare function openapiFileProblems(file?: string): Promise<string[]>;
