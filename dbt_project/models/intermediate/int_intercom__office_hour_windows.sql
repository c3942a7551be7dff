-- One row per office-hour window of the calendar, as UTC instants, with the business
-- clock: the office seconds elapsed since the calendar started, before the window opens.
-- Business seconds between two instants are the difference of the clock at each, where
-- the clock at t is `business_seconds_before + clamp(t - opens_at, 0, window length)`
-- of the last window that opened at or before t (an ASOF join).
-- Local times become instants through DuckDB's ICU time zones, so DST shifts follow
-- the IANA zone and the machine's zone never matters.
with

calendar as (

    select
        {{ date_spine(
            "date '" ~ var('intercom__calendar_start') ~ "'",
            "date '" ~ var('intercom__calendar_end') ~ "'",
            'local_date') }}

),

weekly_hours as (

    {{ office_hours_rows() }}

),

local_windows as (

    select
        calendar.local_date,
        cast(calendar.local_date as timestamp)
            + to_minutes(weekly_hours.opens_minute) as opens_local,
        cast(calendar.local_date as timestamp)
            + to_minutes(weekly_hours.closes_minute) as closes_local

    from calendar
    inner join weekly_hours
        on isodow(calendar.local_date) = weekly_hours.iso_weekday

),

instants as (

    select
        local_date,
        cast(epoch(timezone('{{ var("intercom__office_hours_timezone") }}', opens_local)) as bigint)
            as opens_epoch,
        cast(epoch(timezone('{{ var("intercom__office_hours_timezone") }}', closes_local)) as bigint)
            as closes_epoch

    from local_windows

),

clocked as (

    select
        local_date,
        opens_epoch,
        closes_epoch,
        {{ epoch_to_timestamp('opens_epoch') }} as opens_at,
        {{ epoch_to_timestamp('closes_epoch') }} as closes_at,
        greatest(closes_epoch - opens_epoch, 0) as window_seconds,
        coalesce(
            sum(greatest(closes_epoch - opens_epoch, 0)) over (
                order by opens_epoch, closes_epoch
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as business_seconds_before

    from instants

)

select * from clocked
