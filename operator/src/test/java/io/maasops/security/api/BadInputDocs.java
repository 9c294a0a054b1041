package io.maasops.security.api;

import java.util.List;

/** docs/bad-input.md, generated from the two catalogues (BadInputDocsTest keeps the committed file equal to it). */
final class BadInputDocs {

    private BadInputDocs() {}

    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("""
        # Bad input: what refuses it

        Every malformed custom resource the project tests, and what stops it. Two layers:

        1. **The CRD schema** (OpenAPI patterns, enums, bounds, required fields and CEL rules generated from the
           annotations in `api.v1alpha1`): the API server refuses the resource, so the operator never sees it.
           Checked by `api.SchemaTest` against the generated CRDs; the cases are `api.BadInputCatalogue.SCHEMA`.
        2. **The operator** for what a schema cannot know (Secrets, references, what the VaultIntegration's
           tenancy allows, what Vault, MAAS or the region host say): the resource is accepted, then gets a `False`
           condition with a specific reason and message, `Ready=False` for its generation, a status that stops
           changing (backoff, no hot loop), and **no Vault write that grants anything** (no policy, role,
           secret-id or mount written). Checked by `reliability.SemanticBadInputTest`, one namespace per case
           against the real operator and the doubles; the cases are `api.SemanticBadInput.CASES`.

        The operator's `validation.SpecValidator` repeats the schema's checks before anything is rendered or sent,
        so a resource that reaches it past the schema (an API server without CEL, an old CRD) ends `InvalidSpec` instead.
        This page is generated from both catalogues; `api.BadInputDocsTest` fails when it differs
        (refresh: `mvn -B -q -pl operator test -Dtest=BadInputDocsTest -Drefresh-docs`).

        """);
        md.append("## Refused by the schema (")
                .append(BadInputCatalogue.SCHEMA.size())
                .append(" cases)\n\n");
        md.append("| Case | Kind | Refusal mentions |\n|---|---|---|\n");
        for (BadInputCatalogue.Case c : BadInputCatalogue.SCHEMA) {
            md.append("| ")
                    .append(cell(c.name()))
                    .append(" | ")
                    .append(kind(c.yaml()))
                    .append(" | `")
                    .append(cell(c.expect()))
                    .append("` |\n");
        }
        md.append("""

        The `spec.configFiles` cases (`api.BadInputCatalogue.CONFIG_FILES`: the operator runs its fix as root with
        these values) are also created past the schema, against the real operator: each ends `Ready=False InvalidSpec`
        naming the field, with no command at all on the controller (`concern.files.ConfigFilesTrustBoundaryTest`).
        The operator checks them a third time right before it builds a command (`region.MaasCli`).
        """);
        md.append("\n## Accepted by the schema, refused by the operator (")
                .append(SemanticBadInput.CASES.size())
                .append(" cases)\n\n");
        md.append("| Case | Kind | Condition reason | Message mentions | Refused by |\n|---|---|---|---|---|\n");
        for (SemanticBadInput.Case c : SemanticBadInput.CASES) {
            md.append("| ")
                    .append(cell(c.name()))
                    .append(" | ")
                    .append(c.kind())
                    .append(" | `")
                    .append(cell(c.reason()))
                    .append("` | ")
                    .append(c.message().isEmpty() ? "(Vault's or SSH's own words)" : "`" + cell(c.message()) + "`")
                    .append(" | ")
                    .append(cell(c.refusedBy()))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String kind(String yaml) {
        for (String line : List.of(yaml.split("\n"))) {
            if (line.startsWith("kind: ")) {
                return line.substring(6).trim();
            }
        }
        return "?";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
