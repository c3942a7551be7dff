-- The replayed backlog on the last day must equal the conversations not closed now.
with

daily_support_metrics as (

    select * from {{ ref('daily_support_metrics') }}

),

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

last_day as (

    select count_open_conversations_end_of_day
    from daily_support_metrics
    order by metric_date desc
    limit 1

),

open_now as (

    select count(*) as count_open
    from conversations
    where conversation_state != 'closed'

)

select *
from last_day
cross join open_now
where last_day.count_open_conversations_end_of_day != open_now.count_open
