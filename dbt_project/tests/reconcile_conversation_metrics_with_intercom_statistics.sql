{{ config(severity=var('intercom__reconcile_severity', 'warn')) }}
-- Our metrics, computed from the parts, must equal Intercom's own `statistics` wherever we
-- hold every part (Intercom returns only the latest 500). Intercom's durations are
-- business-hours seconds (wall-clock for time_to_assignment) and its median is whole
-- seconds. One row per disagreeing (conversation, metric).
with

conversation_metrics as (

    select * from {{ ref('conversation_metrics') }}
    where has_complete_parts

),

comparisons as (

    {% set pairs = [
        ('first_contact_reply_at', 'intercom_first_contact_reply_at'),
        ('first_admin_reply_at', 'intercom_first_admin_reply_at'),
        ('first_assignment_at', 'intercom_first_assignment_at'),
        ('last_assignment_at', 'intercom_last_assignment_at'),
        ('last_assignment_admin_reply_at', 'intercom_last_assignment_admin_reply_at'),
        ('last_contact_reply_at', 'intercom_last_contact_reply_at'),
        ('last_admin_reply_at', 'intercom_last_admin_reply_at'),
        ('first_close_at', 'intercom_first_close_at'),
        ('last_close_at', 'intercom_last_close_at'),
        ('last_closed_by_admin_id', 'intercom_last_closed_by_id'),
        ('count_reopens', 'intercom_count_reopens'),
        ('count_assignments', 'intercom_count_assignments'),
        ('time_to_first_assignment_seconds', 'intercom_time_to_assignment_seconds'),
        ('time_to_first_admin_reply_business_seconds', 'intercom_time_to_admin_reply_seconds'),
        ('time_to_first_close_business_seconds', 'intercom_time_to_first_close_seconds'),
        ('time_to_last_close_business_seconds', 'intercom_time_to_last_close_seconds'),
        ('cast(floor(median_time_to_reply_seconds) as bigint)', 'intercom_median_time_to_reply_seconds'),
    ] %}
    {% for ours, theirs in pairs %}
    select
        conversation_id,
        '{{ theirs }}' as metric,
        cast({{ ours }} as varchar) as ours,
        cast({{ theirs }} as varchar) as intercom
    from conversation_metrics
    where cast({{ ours }} as varchar) is distinct from cast({{ theirs }} as varchar)
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from comparisons
