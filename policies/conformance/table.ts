// Prints the README's policy table: node bin/conformance/table.js
import { policyTable } from "../src/table";

process.stdout.write(policyTable());
