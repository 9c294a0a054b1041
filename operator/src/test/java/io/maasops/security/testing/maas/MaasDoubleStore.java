package io.maasops.security.testing.maas;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The MAAS state behind {@link MaasApiDouble} and its rules (validation, messages, permissions),
 * kept free of HTTP. Every method is called under the double's lock.
 */
final class MaasDoubleStore {

    /** MAAS 3.8 OpenFGA relations on the {@code maas} object (docs/reference/maas-internals.md §6.2). */
    static final Set<String> MAAS_ENTITLEMENTS = Set.of(
            "can_edit_machines",
            "can_deploy_machines",
            "can_view_machines",
            "can_view_available_machines",
            "can_edit_global_entities",
            "can_view_global_entities",
            "can_edit_controllers",
            "can_view_controllers",
            "can_edit_identities",
            "can_view_identities",
            "can_edit_configurations",
            "can_view_configurations",
            "can_edit_notifications",
            "can_view_notifications",
            "can_edit_boot_entities",
            "can_view_boot_entities",
            "can_edit_license_keys",
            "can_view_license_keys",
            "can_view_devices",
            "can_view_ipaddresses",
            "can_view_dnsrecords",
            "can_edit_operations",
            "can_view_operations");

    /** Relations on a {@code pool} object. */
    static final Set<String> POOL_ENTITLEMENTS =
            Set.of("can_edit_machines", "can_deploy_machines", "can_view_machines", "can_view_available_machines");

    static final List<String> ADMINISTRATORS_SEED = List.of(
            "can_edit_machines",
            "can_edit_global_entities",
            "can_edit_controllers",
            "can_edit_identities",
            "can_edit_configurations",
            "can_edit_notifications",
            "can_edit_boot_entities",
            "can_edit_license_keys",
            "can_edit_operations",
            "can_view_devices",
            "can_view_ipaddresses",
            "can_view_dnsrecords",
            "can_view_operations");

    /**
     * The "Users" seed of the 3.8 branch (src/maasopenfga/internal/migrations/00002_migrate_environments.go);
     * master added can_view_boot_entities (commit 175e39f74): {@link MaasApiDouble#release} sets a release's seed.
     */
    static final List<String> USERS_SEED =
            List.of("can_deploy_machines", "can_view_available_machines", "can_view_global_entities");

    /** maasserver/models/user.py SYSTEM_USERS. */
    static final Set<String> SYSTEM_USERS = Set.of("MAAS", "maas-init-node");

    static final Set<String> CATEGORIES = Set.of("error", "warning", "success", "info");

    static final class User {
        final int id;
        final String username;
        final String email;
        final boolean superuser;
        final String consumerKey;
        final String tokenKey;
        final String tokenSecret;

        User(int id, String username, String email, boolean superuser, String ck, String tk, String ts) {
            this.id = id;
            this.username = username;
            this.email = email;
            this.superuser = superuser;
            this.consumerKey = ck;
            this.tokenKey = tk;
            this.tokenSecret = ts;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("username", username);
            m.put("email", email);
            m.put("is_local", true);
            m.put("is_superuser", superuser);
            m.put("resource_uri", "/MAAS/api/2.0/users/" + username + "/");
            return m;
        }
    }

    static final class Notification {
        final int id;
        String ident;
        Integer userId;
        boolean users;
        boolean admins;
        String message;
        Map<String, Object> context = new LinkedHashMap<>();
        String category = "info";
        boolean dismissable = true;
        final Set<Integer> dismissedBy = new LinkedHashSet<>();

        Notification(int id) {
            this.id = id;
        }
    }

    static final class Pool {
        final int id;
        String name;
        String description;

        Pool(int id, String name, String description) {
            this.id = id;
            this.name = name;
            this.description = description;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("name", name);
            m.put("description", description);
            m.put("resource_uri", "/MAAS/api/2.0/resourcepool/" + id + "/");
            return m;
        }
    }

    record Tuple(String resourceType, long resourceId, String entitlement) {}

    static final class Group {
        final int id;
        String name;
        String description;
        final Set<Integer> members = new LinkedHashSet<>();
        final Set<Tuple> entitlements = new LinkedHashSet<>();

        Group(int id, String name, String description) {
            this.id = id;
            this.name = name;
            this.description = description;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("name", name);
            m.put("description", description);
            m.put("resource_uri", "/MAAS/api/2.0/groups/" + id + "/");
            return m;
        }
    }

    final Map<Integer, User> users = new TreeMap<>();
    final Map<Integer, Notification> notifications = new TreeMap<>();
    final Map<Integer, Pool> pools = new TreeMap<>();
    final Map<Integer, Group> groups = new TreeMap<>();
    final Map<String, Object> config = new LinkedHashMap<>();
    private int nextUserId = 1;
    private int nextNotificationId = 1;
    private int nextPoolId = 1; // the default pool is 0
    private int nextGroupId = 1;

    /** The seeded "Users" group gets {@code seed} (a release's) instead of the 3.8 branch's. */
    void reseedUsers(List<String> seed) {
        groupByName("Users").ifPresent(g -> {
            g.entitlements.clear();
            seed.forEach(e -> g.entitlements.add(new Tuple("maas", 0, e)));
        });
    }

    MaasDoubleStore() {
        pools.put(0, new Pool(0, "default", "Default pool"));
        Group admins = new Group(nextGroupId++, "Administrators", "");
        ADMINISTRATORS_SEED.forEach(e -> admins.entitlements.add(new Tuple("maas", 0, e)));
        Group usersGroup = new Group(nextGroupId++, "Users", "");
        USERS_SEED.forEach(e -> usersGroup.entitlements.add(new Tuple("maas", 0, e)));
        groups.put(admins.id, admins);
        groups.put(usersGroup.id, usersGroup);
        // maasserver/worker_user.py and metadataserver/nodeinituser.py: MAAS's own users, which GET users/ lists
        // (User.objects.all()); no group (the 3.8 seed skips them) and no key anyone holds
        users.put(nextUserId, new User(nextUserId++, "MAAS", "maas@localhost", true, "-", "-", "-"));
        users.put(
                nextUserId, new User(nextUserId++, "maas-init-node", "node-init-user@localhost", false, "-", "-", "-"));
        config.put("maas_name", "maas");
        config.put("tls_cert_expiration_notification_enabled", false);
        config.put("tls_cert_expiration_notification_interval", 30);
    }

    // ---- users ----------------------------------------------------------------------------------

    User addUser(String username, boolean superuser, String ck, String tk, String ts) {
        if (findUser(username).isPresent()) {
            throw new IllegalArgumentException("user exists: " + username);
        }
        User u = new User(nextUserId++, username, username + "@example.com", superuser, ck, tk, ts);
        users.put(u.id, u);
        // As MAAS 3.8's migration does: superusers are Administrators, others Users.
        groupByName(superuser ? "Administrators" : "Users").ifPresent(g -> g.members.add(u.id));
        return u;
    }

    void setSuperuser(User u, boolean superuser) {
        User changed = new User(u.id, u.username, u.email, superuser, u.consumerKey, u.tokenKey, u.tokenSecret);
        users.put(u.id, changed);
    }

    Optional<User> findUser(String username) {
        return users.values().stream().filter(u -> u.username.equals(username)).findFirst();
    }

    Optional<User> userByToken(String consumerKey, String tokenKey) {
        return users.values().stream()
                .filter(u -> u.consumerKey.equals(consumerKey) && u.tokenKey.equals(tokenKey))
                .findFirst();
    }

    List<Map<String, Object>> listUsers() {
        return users.values().stream()
                .sorted(Comparator.comparing(u -> u.username))
                .map(User::json)
                .toList();
    }

    /**
     * 3.8 with Canonical RBAC configured: {@code check_permission} (maasserver/api/support.py) asks only
     * {@code is_superuser} and never OpenFGA, so groups and entitlements grant nothing.
     */
    boolean canonicalRbac;

    /** An entitlement on {@code maas:0} through a group (can_edit_X implies can_view_X). */
    boolean can(User u, String entitlement) {
        if (u.superuser) {
            return true;
        }
        if (canonicalRbac) {
            return false;
        }
        String edit = entitlement.replace("can_view_", "can_edit_");
        return groups.values().stream()
                .filter(g -> g.members.contains(u.id))
                .flatMap(g -> g.entitlements.stream())
                .anyMatch(t -> t.resourceType().equals("maas")
                        && (t.entitlement().equals(entitlement)
                                || t.entitlement().equals(edit)));
    }

    void require(User u, String entitlement) {
        if (!can(u, entitlement)) {
            // maasserver/api/support.py check_permission (3.8), for OpenFGA and Canonical RBAC alike
            throw MaasDoubleError.text(
                    403,
                    "User does not have permission to perform this operation. The user should have permission '"
                            + entitlement + "'");
        }
    }

    // ---- notifications --------------------------------------------------------------------------

    /** MAAS's {@code Notification.is_relevant_to}. */
    boolean relevant(Notification n, User u) {
        return (n.userId != null && n.userId == u.id) || (n.users && !u.superuser) || (n.admins && u.superuser);
    }

    Map<String, Object> notificationJson(Notification n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id);
        m.put("ident", n.ident);
        m.put("user", n.userId == null ? null : users.get(n.userId).json());
        m.put("users", n.users);
        m.put("admins", n.admins);
        m.put("message", n.message);
        m.put("context", n.context);
        m.put("category", n.category);
        m.put("dismissable", n.dismissable);
        m.put("resource_uri", "/MAAS/api/2.0/notifications/" + n.id + "/");
        return m;
    }

    List<Map<String, Object>> listNotificationsFor(User caller) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Notification n : notifications.values()) {
            if (relevant(n, caller) && !n.dismissedBy.contains(caller.id)) {
                out.add(notificationJson(n));
            }
        }
        return out;
    }

    Notification notification(int id) {
        Notification n = notifications.get(id);
        if (n == null) {
            throw MaasDoubleError.text(404, "No Notification matches the given query.");
        }
        return n;
    }

    Notification createNotification(
            Map<String, String> form, java.util.function.Function<String, Map<String, Object>> parseContext) {
        Notification n = new Notification(nextNotificationId);
        if (!form.containsKey("message") || form.get("message").isEmpty()) {
            throw MaasDoubleError.field("message", "This field is required.");
        }
        applyNotificationForm(n, form, parseContext, true);
        nextNotificationId++;
        notifications.put(n.id, n);
        return n;
    }

    /** Absent fields keep their value on update; {@code dismissable} follows MAAS's quirk when sent. */
    void applyNotificationForm(
            Notification n,
            Map<String, String> form,
            java.util.function.Function<String, Map<String, Object>> parseContext,
            boolean creating) {
        if (form.containsKey("ident")) {
            String ident = form.get("ident").isEmpty() ? null : form.get("ident");
            if (ident != null && ident.length() > 40) {
                throw MaasDoubleError.field(
                        "ident", "Ensure this value has at most 40 characters (it has " + ident.length() + ").");
            }
            if (ident != null && notifications.values().stream().anyMatch(o -> o.id != n.id && ident.equals(o.ident))) {
                throw MaasDoubleError.field("ident", "Notification with this Ident already exists.");
            }
        }
        if (form.containsKey("category") && !CATEGORIES.contains(form.get("category"))) {
            throw MaasDoubleError.field(
                    "category",
                    "Select a valid choice. " + form.get("category") + " is not one of the available choices.");
        }
        Integer userId = n.userId;
        if (form.containsKey("user") && !form.get("user").isEmpty()) {
            String v = form.get("user");
            Optional<User> u = v.chars().allMatch(Character::isDigit)
                    ? Optional.ofNullable(users.get(Integer.parseInt(v)))
                    : findUser(v);
            if (u.isEmpty()) {
                throw MaasDoubleError.field(
                        "user", "Select a valid choice. That choice is not one of the available choices.");
            }
            userId = u.get().id;
        }
        Map<String, Object> context = form.containsKey("context") ? parseContext.apply(form.get("context")) : null;
        // validation passed: apply
        if (form.containsKey("ident")) {
            n.ident = form.get("ident").isEmpty() ? null : form.get("ident");
        }
        if (form.containsKey("message")) {
            n.message = form.get("message");
        }
        if (context != null) {
            n.context = context;
        }
        if (form.containsKey("category")) {
            n.category = form.get("category");
        }
        n.userId = userId;
        if (form.containsKey("users")) {
            n.users = djangoBool(form.get("users"));
        }
        if (form.containsKey("admins")) {
            n.admins = djangoBool(form.get("admins"));
        }
        if (creating || form.containsKey("dismissable")) {
            // clean_dismissable: data in (None, "true")
            n.dismissable = !form.containsKey("dismissable") || "true".equals(form.get("dismissable"));
        }
    }

    void dismiss(Notification n, User u) {
        if (!relevant(n, u)) {
            throw MaasDoubleError.text(403, "Notification " + n.id + " is not relevant to " + u.username + ".");
        }
        if (!n.dismissable) {
            throw MaasDoubleError.text(403, "Notification " + n.id + " is not dismissable.");
        }
        n.dismissedBy.add(u.id);
    }

    /** Django's BooleanField: "false", "0" and "" are False; anything else True. */
    static boolean djangoBool(String v) {
        return !(v == null || v.isEmpty() || v.equalsIgnoreCase("false") || v.equals("0"));
    }

    // ---- resource pools -------------------------------------------------------------------------

    Pool pool(String idOrName) {
        Pool p = null;
        if (idOrName.chars().allMatch(Character::isDigit)) {
            p = pools.get(Integer.parseInt(idOrName));
        }
        if (p == null) {
            p = pools.values().stream()
                    .filter(x -> x.name.equals(idOrName))
                    .findFirst()
                    .orElse(null);
        }
        if (p == null) {
            throw MaasDoubleError.text(404, "No ResourcePool matches the given query.");
        }
        return p;
    }

    Pool createPool(String name, String description) {
        if (name == null || name.isEmpty()) {
            throw MaasDoubleError.field("name", "This field is required.");
        }
        if (pools.values().stream().anyMatch(p -> p.name.equals(name))) {
            throw MaasDoubleError.field("name", "Resource pool with this Name already exists.");
        }
        Pool p = new Pool(nextPoolId++, name, description == null ? "" : description);
        pools.put(p.id, p);
        return p;
    }

    void updatePool(Pool p, Map<String, String> form) {
        if (form.containsKey("name")) {
            String name = form.get("name");
            if (pools.values().stream().anyMatch(o -> o.id != p.id && o.name.equals(name))) {
                throw MaasDoubleError.field("name", "Resource pool with this Name already exists.");
            }
            p.name = name;
        }
        if (form.containsKey("description")) {
            p.description = form.get("description");
        }
    }

    // ---- groups ---------------------------------------------------------------------------------

    Optional<Group> groupByName(String name) {
        return groups.values().stream().filter(g -> g.name.equals(name)).findFirst();
    }

    Group group(String id) {
        Group g = id.chars().allMatch(Character::isDigit) ? groups.get(Integer.parseInt(id)) : null;
        if (g == null) {
            throw MaasDoubleError.text(404, "UserGroup with id " + id + " not found.");
        }
        return g;
    }

    /** 3.8 maasservicelayer/db/tables.py: maasserver_usergroup.name String(256), unique. */
    static final int GROUP_NAME_MAX = 256;

    Group createGroup(String name, String description) {
        if (name == null || name.isEmpty()) {
            throw MaasDoubleError.text(400, "Name is required.");
        }
        checkGroupName(name, -1);
        Group g = new Group(nextGroupId++, name, description == null ? "" : description);
        groups.put(g.id, g);
        return g;
    }

    /**
     * api/usergroups.py (create and update) maps neither the service layer's AlreadyExistsException (unique name)
     * nor PostgreSQL's value-too-long error to an API error: Django answers 500 (INFERRED from the code).
     */
    void checkGroupName(String name, int exceptId) {
        if (groups.values().stream().anyMatch(g -> g.id != exceptId && g.name.equals(name))) {
            throw MaasDoubleError.text(500, "A resource with such identifiers already exist.");
        }
        if (name.codePointCount(0, name.length()) > GROUP_NAME_MAX) {
            throw MaasDoubleError.text(500, "value too long for type character varying(256)");
        }
    }

    void addMember(Group g, String username) {
        if (username == null || username.isEmpty()) {
            throw MaasDoubleError.text(400, "username is required.");
        }
        User u = findUser(username).orElseThrow(() -> MaasDoubleError.text(404, "User '" + username + "' not found."));
        if (!g.members.add(u.id)) {
            throw MaasDoubleError.text(
                    409, "User `" + username + "` is already a member of the group with ID `" + g.id + "`.");
        }
    }

    void removeMember(Group g, String username) {
        if (username == null || username.isEmpty()) {
            throw MaasDoubleError.text(400, "username is required.");
        }
        User u = findUser(username).orElseThrow(() -> MaasDoubleError.text(404, "User '" + username + "' not found."));
        g.members.remove(u.id);
    }

    List<Map<String, Object>> members(Group g) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int id : g.members) {
            User u = users.get(id);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("username", u.username);
            m.put("email", u.email);
            out.add(m);
        }
        return out;
    }

    Tuple parseEntitlement(Map<String, String> form) {
        String type = form.get("resource_type");
        if (type == null || type.isEmpty()) {
            throw MaasDoubleError.text(400, "resource_type is required.");
        }
        String idText = form.get("resource_id");
        if (idText == null) {
            throw MaasDoubleError.text(400, "resource_id is required.");
        }
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            throw MaasDoubleError.text(400, "resource_id must be an integer.");
        }
        String entitlement = form.get("entitlement");
        if (entitlement == null || entitlement.isEmpty()) {
            throw MaasDoubleError.text(400, "entitlement is required.");
        }
        Set<String> allowed = switch (type) {
            case "maas" -> MAAS_ENTITLEMENTS;
            case "pool" -> POOL_ENTITLEMENTS;
            default -> Set.of();
        };
        if (!allowed.contains(entitlement)) {
            // MAAS's UndefinedEntitlementError text is not in the reference; this one is the double's.
            throw MaasDoubleError.text(
                    400, "Entitlement '" + entitlement + "' is not defined for resource type '" + type + "'.");
        }
        return new Tuple(type, id, entitlement);
    }

    void addEntitlement(Group g, Tuple t) {
        if (t.resourceType().equals("pool") && !pools.containsKey((int) t.resourceId())) {
            throw MaasDoubleError.text(404, "ResourcePool with id " + t.resourceId() + " not found.");
        }
        if (t.resourceType().equals("maas") && t.resourceId() != 0) {
            throw MaasDoubleError.text(400, "resource_id must be 0 for 'maas' type.");
        }
        g.entitlements.add(t); // an upsert, as MAAS's openfga_tuples.upsert
    }

    List<Map<String, Object>> entitlements(Group g) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Tuple t : g.entitlements) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("resource_type", t.resourceType());
            m.put("resource_id", t.resourceId());
            m.put("entitlement", t.entitlement());
            out.add(m);
        }
        return out;
    }

    // ---- config ---------------------------------------------------------------------------------

    Object getConfig(String name) {
        if (name == null || !config.containsKey(name)) {
            throw MaasDoubleError.field(
                    "name", "Select a valid choice. " + name + " is not one of the available choices.");
        }
        return config.get(name);
    }

    void setConfig(String name, String value) {
        Object current = getConfig(name);
        if (value == null) {
            throw MaasDoubleError.field("value", "This field is required.");
        }
        if (current instanceof Boolean) {
            config.put(name, djangoBool(value));
        } else if (current instanceof Integer) {
            int v;
            try {
                v = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw MaasDoubleError.field("value", "Enter a whole number.");
            }
            if (name.equals("tls_cert_expiration_notification_interval") && v < 1) {
                throw MaasDoubleError.field("value", "Ensure this value is greater than or equal to 1.");
            }
            if (name.equals("tls_cert_expiration_notification_interval") && v > 90) {
                throw MaasDoubleError.field("value", "Ensure this value is less than or equal to 90.");
            }
            config.put(name, v);
        } else {
            config.put(name, value);
        }
    }
}
