// The policy pack the Pulumi CLI runs (`pulumi preview --policy-pack policies`). Only this file
// constructs the PolicyPack: its constructor starts a gRPC server, so nothing else imports it.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packArgs } from "./src/pack";

new PolicyPack(PACK_NAME, packArgs);
