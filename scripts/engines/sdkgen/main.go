// pulumi-sdkgen writes a package's SDK for one language from its schema, with the code generators of the Pulumi
// release the CLI is built from (github.com/pulumi/pulumi/pkg/v3/codegen/<language>.GeneratePackage): what a
// language host's GeneratePackage does for `pulumi package add` and `pulumi package gen-sdk`.
//
// Why it exists: the only Node.js language host the Go module proxy serves is the one inside
// github.com/pulumi/pulumi/sdk/v3 v3.68.0, which predates GeneratePackage (`pulumi package add` answers "method
// GeneratePackage not implemented"); docs/packages.md says how the examples use it.
//
//	pulumi-sdkgen <schema.json> <nodejs|python> <out dir>
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noReferences loads no other package: the schema refers to none.
type noReferences struct{}

func (noReferences) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which this tool does not load", pkg)
}

func (l noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l noReferences) LoadPackageReference(pkg string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(pkg, v)
	return nil, err
}

func (l noReferences) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-sdkgen <schema.json> <nodejs|python> <out dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-sdkgen: "+err.Error())
		os.Exit(1)
	}
}

func run(schemaPath, language, out string) error {
	text, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return fmt.Errorf("%s is not a package schema: %w", schemaPath, err)
	}
	var loader schema.ReferenceLoader = noReferences{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return fmt.Errorf("invalid schema: %s", diags.Error())
	}
	var files map[string][]byte
	switch language {
	case "nodejs":
		files, err = nodejs.GeneratePackage("pulumi-sdkgen", pkg, nil, nil, true, loader)
	case "python":
		files, err = python.GeneratePackage("pulumi-sdkgen", pkg, nil, loader)
	default:
		return fmt.Errorf("no generator for %q (nodejs, python)", language)
	}
	if err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
