-- One row per UTC day from the first conversation to the last update: new and closed
-- conversations, the open backlog at the end of the day, first-response time and CSAT.
with

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

events as (

    select * from {{ ref('int_intercom__conversation_events') }}

),

conversation_metrics as (

    select * from {{ ref('conversation_metrics') }}

),

bounds as (

    select
        min(cast(created_at as date)) as first_date,
        greatest(max(cast(updated_at as date)), max(cast(rated_at as date))) as last_date

    from conversations

),

calendar as (

    select {{ date_spine('bounds.first_date', 'bounds.last_date', 'metric_date') }}
    from bounds

),

-- The conversation's state after each message: it opens open; close, open, reopen,
-- snooze and unsnooze parts change it.
state_changes as (

    select
        conversation_id,
        event_sequence,
        created_at,
        case
            when is_opening_message then 'open'
            else {{ state_after_part('part_type') }}
        end as state_after

    from events
    where is_opening_message or {{ state_after_part('part_type') }} is not null

),

backlog_moves as (

    select
        conversation_id,
        cast(created_at as date) as metric_date,
        state_after,
        coalesce(
            lag(state_after = 'closed') over (
                partition by conversation_id order by event_sequence
            ),
            true
        ) as was_closed

    from state_changes

),

backlog_deltas as (

    select
        metric_date,
        sum(
            case
                when was_closed and state_after != 'closed' then 1
                when not was_closed and state_after = 'closed' then -1
                else 0
            end
        ) as backlog_delta,
        count(distinct conversation_id) filter (
            where not was_closed and state_after = 'closed'
        ) as count_closed_conversations

    from backlog_moves
    group by metric_date

),

created as (

    select
        cast(created_at as date) as metric_date,
        count(*) as count_new_conversations

    from conversations
    group by 1

),

first_replies as (

    select
        cast(first_admin_reply_at as date) as metric_date,
        count(*) as count_first_replies,
        median(time_to_first_admin_reply_seconds) as median_time_to_first_admin_reply_seconds,
        median(time_to_first_admin_reply_business_seconds)
            as median_time_to_first_admin_reply_business_seconds

    from conversation_metrics
    where first_admin_reply_at is not null
    group by 1

),

ratings as (

    select
        cast(rated_at as date) as metric_date,
        count(*) as count_ratings,
        avg(rating) as average_rating,
        count(*) filter (where rating >= 4) as count_satisfied_ratings

    from conversations
    where rating is not null
    group by 1

),

final as (

    select
        calendar.metric_date,
        coalesce(created.count_new_conversations, 0) as count_new_conversations,
        coalesce(backlog_deltas.count_closed_conversations, 0) as count_closed_conversations,
        sum(coalesce(backlog_deltas.backlog_delta, 0)) over (
            order by calendar.metric_date
        ) as count_open_conversations_end_of_day,
        coalesce(first_replies.count_first_replies, 0) as count_first_replies,
        first_replies.median_time_to_first_admin_reply_seconds,
        {{ seconds_to_minutes('first_replies.median_time_to_first_admin_reply_seconds') }}
            as median_time_to_first_admin_reply_minutes,
        first_replies.median_time_to_first_admin_reply_business_seconds,
        {{ seconds_to_minutes('first_replies.median_time_to_first_admin_reply_business_seconds') }}
            as median_time_to_first_admin_reply_business_minutes,
        coalesce(ratings.count_ratings, 0) as count_ratings,
        ratings.average_rating,
        100.0 * ratings.count_satisfied_ratings / ratings.count_ratings as csat_percent

    from calendar
    left join created
        on calendar.metric_date = created.metric_date
    left join backlog_deltas
        on calendar.metric_date = backlog_deltas.metric_date
    left join first_replies
        on calendar.metric_date = first_replies.metric_date
    left join ratings
        on calendar.metric_date = ratings.metric_date

)

select * from final
