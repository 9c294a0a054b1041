package io.maasops.security.testing.fakes;

import io.maasops.security.maas.Entitlement;
import io.maasops.security.maas.GroupMember;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.MaasNotification;
import io.maasops.security.maas.MaasUser;
import io.maasops.security.maas.MaasVersion;
import io.maasops.security.maas.NotificationRequest;
import io.maasops.security.maas.ResourcePool;
import io.maasops.security.maas.UserGroup;
import io.maasops.security.port.MaasApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * MAAS 3.8's user groups, members and entitlements, in memory. Refuses as MAAS does where the
 * concerns branch on it: a second group of the same name, or a name longer than 256 characters, is
 * an HTTP 500 (SERVER_ERROR, as MAAS's API 2.0 answers them), an unknown group or member NOT_FOUND,
 * and an unreachable MAAS fails every call with UNREACHABLE. The version MAAS reports and its
 * external authentication URL are settable. Notifications are not modelled.
 */
public final class FakeMaasApi implements MaasApi {

    public final List<MaasUser> users = new ArrayList<>();
    public final List<ResourcePool> pools = new ArrayList<>();
    public final Map<Integer, UserGroup> groups = new LinkedHashMap<>();
    public final Map<Integer, Set<String>> members = new LinkedHashMap<>();
    public final Map<Integer, Set<Entitlement>> entitlements = new LinkedHashMap<>();
    public final List<String> calls = new ArrayList<>();
    /** MAAS's settings as {@code get_config} answers them (MAAS's defaults for the two reminder settings). */
    public final Map<String, Object> config = new LinkedHashMap<>(
            Map.of("tls_cert_expiration_notification_enabled", false, "tls_cert_expiration_notification_interval", 30));

    private int nextId = 10;
    private boolean unreachable;
    /** What {@code GET version/} reports. */
    public String version = "3.8.0";
    /** What the login view reports as {@code external_auth_url}; null: local authentication. */
    public String externalAuthUrl;
    /** Run once just before the next group is created or renamed (another writer racing the operator). */
    public Runnable beforeNextGroupWrite;

    public FakeMaasApi unreachable(boolean down) {
        this.unreachable = down;
        return this;
    }

    private void call(String op) throws MaasApiException {
        calls.add(op);
        if (unreachable) {
            throw new MaasApiException(MaasApiException.Kind.UNREACHABLE, 0, op + ": connection refused", null, null);
        }
    }

    private UserGroup group(int id) throws MaasApiException {
        UserGroup g = groups.get(id);
        if (g == null) {
            throw new MaasApiException(
                    MaasApiException.Kind.NOT_FOUND, 404, "No UserGroup matches the given query.", null, null);
        }
        return g;
    }

    @Override
    public MaasVersion version() throws MaasApiException {
        call("version");
        return new MaasVersion(version, "", List.of());
    }

    @Override
    public Optional<String> externalAuthUrl() throws MaasApiException {
        call("externalAuthUrl");
        return Optional.ofNullable(externalAuthUrl);
    }

    /** MAAS's unique constraint and String(256) (maasservicelayer/db/tables.py) surface as an HTTP 500. */
    private void checkName(String name, int exceptId) throws MaasApiException {
        if (beforeNextGroupWrite != null) {
            Runnable r = beforeNextGroupWrite;
            beforeNextGroupWrite = null;
            r.run();
        }
        boolean duplicate = groups.values().stream()
                .anyMatch(g -> g.id() != exceptId && g.name().equals(name));
        if (duplicate || name.codePointCount(0, name.length()) > 256) {
            throw new MaasApiException(
                    MaasApiException.Kind.SERVER_ERROR, 500, "MAAS API POST groups/ failed with HTTP 500", null, null);
        }
    }

    /** A group created by someone else (no operator call recorded). */
    public UserGroup addGroupBehindTheOperatorsBack(String name, String description) {
        UserGroup g = new UserGroup(nextId++, name, description);
        groups.put(g.id(), g);
        members.put(g.id(), new LinkedHashSet<>());
        entitlements.put(g.id(), new LinkedHashSet<>());
        return g;
    }

    @Override
    public MaasUser whoami() throws MaasApiException {
        call("whoami");
        return users.isEmpty() ? null : users.get(0);
    }

    @Override
    public List<MaasUser> listUsers() throws MaasApiException {
        call("listUsers");
        return List.copyOf(users);
    }

    @Override
    public List<ResourcePool> listResourcePools() throws MaasApiException {
        call("listResourcePools");
        return List.copyOf(pools);
    }

    /** What {@code GET rackcontrollers/} lists. */
    public final List<io.maasops.security.maas.MaasController> rackControllers = new ArrayList<>();

    @Override
    public List<io.maasops.security.maas.MaasController> listRackControllers() throws MaasApiException {
        call("listRackControllers");
        return List.copyOf(rackControllers);
    }

    @Override
    public List<UserGroup> listGroups() throws MaasApiException {
        call("listGroups");
        return List.copyOf(groups.values());
    }

    @Override
    public UserGroup createGroup(String name, String description) throws MaasApiException {
        call("createGroup " + name);
        checkName(name, -1);
        return addGroupBehindTheOperatorsBack(name, description);
    }

    @Override
    public UserGroup updateGroup(int id, String name, String description) throws MaasApiException {
        call("updateGroup " + id);
        group(id);
        if (name != null) {
            checkName(name, id);
        }
        UserGroup g = new UserGroup(id, name, description);
        groups.put(id, g);
        return g;
    }

    @Override
    public void deleteGroup(int id) throws MaasApiException {
        call("deleteGroup " + id);
        group(id);
        groups.remove(id);
    }

    @Override
    public List<GroupMember> listGroupMembers(int groupId) throws MaasApiException {
        call("listGroupMembers " + groupId);
        group(groupId);
        return members.get(groupId).stream()
                .map(u -> new GroupMember(u, u + "@example.com"))
                .toList();
    }

    @Override
    public void addGroupMember(int groupId, String username) throws MaasApiException {
        call("addGroupMember " + groupId + " " + username);
        group(groupId);
        if (users.stream().noneMatch(u -> u.username().equals(username))) {
            throw new MaasApiException(
                    MaasApiException.Kind.BAD_REQUEST, 400, "user " + username + " not found", null, null);
        }
        members.get(groupId).add(username);
    }

    @Override
    public void removeGroupMember(int groupId, String username) throws MaasApiException {
        call("removeGroupMember " + groupId + " " + username);
        group(groupId);
        members.get(groupId).remove(username);
    }

    @Override
    public List<Entitlement> listEntitlements(int groupId) throws MaasApiException {
        call("listEntitlements " + groupId);
        group(groupId);
        return List.copyOf(entitlements.get(groupId));
    }

    @Override
    public void addEntitlement(int groupId, Entitlement e) throws MaasApiException {
        call("addEntitlement " + groupId);
        group(groupId);
        entitlements.get(groupId).add(e);
    }

    @Override
    public void removeEntitlement(int groupId, Entitlement e) throws MaasApiException {
        call("removeEntitlement " + groupId);
        group(groupId);
        entitlements.get(groupId).remove(e);
    }

    @Override
    public List<MaasNotification> listNotifications() throws MaasApiException {
        call("listNotifications");
        return List.of();
    }

    @Override
    public MaasNotification getNotification(int id) throws MaasApiException {
        call("getNotification");
        throw new MaasApiException(
                MaasApiException.Kind.NOT_FOUND, 404, "No Notification matches the given query.", null, null);
    }

    @Override
    public MaasNotification createNotification(NotificationRequest req) throws MaasApiException {
        throw new UnsupportedOperationException("notifications are not modelled by the fake");
    }

    @Override
    public MaasNotification updateNotification(int id, NotificationRequest req) throws MaasApiException {
        throw new UnsupportedOperationException("notifications are not modelled by the fake");
    }

    @Override
    public void deleteNotification(int id) throws MaasApiException {
        throw new UnsupportedOperationException("notifications are not modelled by the fake");
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode getConfig(String name) throws MaasApiException {
        call("getConfig " + name);
        if (!config.containsKey(name)) {
            throw new MaasApiException(
                    MaasApiException.Kind.BAD_REQUEST,
                    400,
                    "MAAS API GET maas/?op=get_config failed with HTTP 400",
                    "{\"name\": [\"Select a valid choice. " + name + " is not one of the available choices.\"]}",
                    null);
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(config.get(name));
    }
}
