-- Argo CD health check for security.maasops.io VaultIntegration, MaasRegion and RoleBinding
-- (argocd-cm: resource.customizations.health.security.maasops.io_<Kind>). Follows kstatus:
-- observedGeneration, then Stalled, Ready, Reconciling (docs/health-checks.md).
local hs = {status = "Progressing", message = "waiting for the operator"}
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
if obj.status.observedGeneration == nil or obj.metadata.generation == nil
    or obj.status.observedGeneration < obj.metadata.generation then
  return hs
end
local c = {}
for _, cond in ipairs(obj.status.conditions) do
  c[cond.type] = cond
end
local function msg(cond)
  if cond.reason ~= nil and cond.message ~= nil then
    return cond.reason .. ": " .. cond.message
  end
  return cond.message or cond.reason or ""
end
if c.Stalled ~= nil and c.Stalled.status == "True" then
  return {status = "Degraded", message = msg(c.Stalled)}
end
if c.Ready ~= nil and c.Ready.status == "True" then
  return {status = "Healthy", message = c.Ready.message or ""}
end
if c.Ready ~= nil and c.Ready.status == "False" and c.Ready.reason == "AwaitingApproval" then
  return {status = "Suspended", message = msg(c.Ready)}
end
if (c.Reconciling ~= nil and c.Reconciling.status == "True") then
  return {status = "Progressing", message = msg(c.Reconciling)}
end
if c.Ready == nil or c.Ready.status == "Unknown" then
  return {status = "Progressing", message = c.Ready and msg(c.Ready) or "no Ready condition yet"}
end
return {status = "Degraded", message = msg(c.Ready)}
