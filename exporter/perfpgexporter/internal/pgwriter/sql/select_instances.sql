SELECT i.tenant_id, i.service_id, i.host_name, i.service_instance_id, i.instance_id
FROM perf_instances i
JOIN unnest($1::integer[], $2::int[], $3::text[], $4::text[]) AS k(tenant_id, service_id, host_name, service_instance_id)
  ON i.tenant_id = k.tenant_id AND i.service_id = k.service_id
 AND i.host_name = k.host_name AND i.service_instance_id = k.service_instance_id
