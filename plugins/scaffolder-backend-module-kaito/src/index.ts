/* The package is being built; see the issues in the README. */
export {};
