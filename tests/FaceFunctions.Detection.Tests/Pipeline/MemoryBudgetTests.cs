using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.Detection.Tests.Pipeline;

/// <summary>
/// The budget decides every grant synchronously (in the request, the release or the cancellation that makes it
/// possible), so each test can say exactly which requests hold memory after each step, without waiting for time.
/// </summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task A_request_that_fits_is_granted_at_once_and_given_back_on_dispose()
    {
        var budget = new MemoryBudget(100);

        var reservation = await AssertGranted(budget.ReserveAsync(60));

        Assert.Equal((60L, 40L), (reservation.Bytes, budget.Available));
        reservation.Dispose();
        Assert.Equal(100, budget.Available);
    }

    [Fact]
    public async Task A_request_that_does_not_fit_waits_until_enough_is_given_back()
    {
        var budget = new MemoryBudget(100);
        var first = await AssertGranted(budget.ReserveAsync(30));
        var second = await AssertGranted(budget.ReserveAsync(60));

        var waiting = budget.ReserveAsync(50);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, budget.Waiting);
        first.Dispose();
        Assert.False(waiting.IsCompleted); // 40 free after the first, 50 needed
        Assert.Equal(40, budget.Available);
        second.Dispose();
        using var granted = await AssertGranted(waiting);
        Assert.Equal((0, 50L), (budget.Waiting, budget.Available));
    }

    [Fact]
    public async Task Requests_are_served_in_arrival_order_so_small_ones_cannot_starve_a_large_one()
    {
        var budget = new MemoryBudget(100);
        var held = await AssertGranted(budget.ReserveAsync(60));

        var large = budget.ReserveAsync(80);
        var small = budget.ReserveAsync(10);

        // 40 are free and the small request would fit, but it arrived after the large one.
        Assert.False(small.IsCompleted);
        Assert.Equal(2, budget.Waiting);
        held.Dispose();
        using var largeGranted = await AssertGranted(large);
        using var smallGranted = await AssertGranted(small);
        Assert.Equal(10, budget.Available);
        Assert.Equal(2, budget.MostHeldAtOnce);
    }

    [Fact]
    public async Task Cancelling_a_waiting_request_gives_up_its_place_and_lets_the_next_one_in()
    {
        var budget = new MemoryBudget(100);
        using var held = await AssertGranted(budget.ReserveAsync(60));
        using var cancel = new CancellationTokenSource();
        var large = budget.ReserveAsync(80, cancel.Token);
        var small = budget.ReserveAsync(10);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large);
        using var smallGranted = await AssertGranted(small);
        Assert.Equal((0, 30L), (budget.Waiting, budget.Available));
    }

    [Fact]
    public async Task A_cancelled_token_reserves_nothing()
    {
        var budget = new MemoryBudget(100);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => budget.ReserveAsync(10, new CancellationToken(canceled: true)));

        Assert.Equal((0, 100L), (budget.Waiting, budget.Available));
    }

    [Fact]
    public async Task Cancelling_after_the_grant_keeps_the_reservation()
    {
        var budget = new MemoryBudget(100);
        var held = await AssertGranted(budget.ReserveAsync(60));
        using var cancel = new CancellationTokenSource();
        var waiting = budget.ReserveAsync(60, cancel.Token);
        held.Dispose();
        using var granted = await AssertGranted(waiting);

        await cancel.CancelAsync();

        Assert.Equal(40, budget.Available);
    }

    [Fact]
    public void A_request_larger_than_the_whole_budget_is_refused_at_once()
    {
        var budget = new MemoryBudget(100);

        // Thrown by the call itself, not by the task: the caller learns at once that it asked for the impossible.
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = budget.ReserveAsync(101); });

        Assert.Equal((0, 100L), (budget.Waiting, budget.Available));
    }

    [Fact]
    public async Task Disposing_a_reservation_twice_gives_it_back_once()
    {
        var budget = new MemoryBudget(100);
        var other = await AssertGranted(budget.ReserveAsync(50));
        var reservation = await AssertGranted(budget.ReserveAsync(50));

        reservation.Dispose();
        reservation.Dispose();

        Assert.Equal(50, budget.Available);
        other.Dispose();
    }

    [Fact]
    public async Task An_unlimited_budget_never_makes_anyone_wait()
    {
        var budget = MemoryBudget.Unlimited();

        using var a = await AssertGranted(budget.ReserveAsync(long.MaxValue / 2));
        using var b = await AssertGranted(budget.ReserveAsync(long.MaxValue / 2));

        Assert.True(budget.IsUnlimited);
        Assert.Equal(2, budget.MostHeldAtOnce);
    }

    private static Task<MemoryBudget.Reservation> AssertGranted(Task<MemoryBudget.Reservation> request)
    {
        Assert.True(request.IsCompletedSuccessfully, "The request should have been granted by now.");
        return request;
    }
}
