{{ config(severity='warn') }}
-- Parts whose conversation is missing (an orphan) cannot be counted in
-- conversation_metrics; say so instead of dropping them silently. Returns one row per
-- orphan part; the counts of the others must add up (checked below as a row too).
with

parts as (

    select * from {{ ref('stg_intercom__conversation_parts') }}

),

conversation_metrics as (

    select * from {{ ref('conversation_metrics') }}

),

orphans as (

    select
        parts.conversation_part_id,
        parts.conversation_id,
        'orphan part: its conversation was not loaded' as problem

    from parts
    left join conversation_metrics
        on parts.conversation_id = conversation_metrics.conversation_id
    where conversation_metrics.conversation_id is null

),

totals as (

    select
        cast(null as varchar) as conversation_part_id,
        cast(null as varchar) as conversation_id,
        'counted parts ' || (select sum(count_parts) from conversation_metrics)
        || ' + orphans ' || (select count(*) from orphans)
        || ' != loaded parts ' || (select count(*) from parts) as problem

    where (select sum(count_parts) from conversation_metrics)
        + (select count(*) from orphans)
        != (select count(*) from parts)

)

select * from orphans
union all
select * from totals
