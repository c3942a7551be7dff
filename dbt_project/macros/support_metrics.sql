{#- Aggregates over conversation_metrics rows shared by team_metrics and admin_metrics:
    `assigned`, `replied`, `closed`, `first_replied`, `rated` and `reopen_base` are
    boolean SQL expressions choosing the conversations each metric counts. -#}
{% macro conversation_handling_metrics(
    assigned='true',
    replied='first_admin_reply_at is not null',
    closed='first_close_at is not null',
    first_replied='true',
    last_closed='true',
    rated='true',
    reopen_base='first_close_at is not null'
) -%}
        count(*) filter (where {{ assigned }}) as count_conversations_assigned,
        count(*) filter (where {{ replied }}) as count_conversations_replied,
        count(*) filter (where {{ closed }}) as count_conversations_closed,
        median(time_to_first_admin_reply_seconds) filter (
            where {{ first_replied }}
        ) as median_time_to_first_admin_reply_seconds,
        quantile_cont(time_to_first_admin_reply_seconds, 0.9) filter (
            where {{ first_replied }}
        ) as p90_time_to_first_admin_reply_seconds,
        median(time_to_first_admin_reply_seconds) filter (
            where {{ first_replied }}
        ) / 60.0 as median_time_to_first_admin_reply_minutes,
        quantile_cont(time_to_first_admin_reply_seconds, 0.9) filter (
            where {{ first_replied }}
        ) / 60.0 as p90_time_to_first_admin_reply_minutes,
        median(time_to_last_close_seconds) filter (
            where {{ last_closed }}
        ) as median_time_to_last_close_seconds,
        quantile_cont(time_to_last_close_seconds, 0.9) filter (
            where {{ last_closed }}
        ) as p90_time_to_last_close_seconds,
        median(time_to_last_close_seconds) filter (
            where {{ last_closed }}
        ) / 60.0 as median_time_to_last_close_minutes,
        quantile_cont(time_to_last_close_seconds, 0.9) filter (
            where {{ last_closed }}
        ) / 60.0 as p90_time_to_last_close_minutes,
        count(rating) filter (where {{ rated }}) as count_ratings,
        avg(rating) filter (where {{ rated }}) as average_rating,
        avg(case when is_reopened_after_close then 1.0 else 0.0 end) filter (
            where {{ reopen_base }}
        ) as reopen_rate
{%- endmacro %}
