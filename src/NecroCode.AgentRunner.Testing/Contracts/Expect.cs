namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>The checks the contract cases make; each throws <see cref="ContractViolationException"/>.</summary>
internal static class Expect
{
    /// <summary>Fails with <paramref name="what"/> unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new ContractViolationException(what);
        }
    }

    /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>, naming both.</summary>
    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new ContractViolationException($"{what}: expected {Show(expected)}, got {Show(actual)}.");
        }
    }

    /// <summary>Runs <paramref name="action"/> and returns what it threw; fails when it throws nothing or something else.</summary>
    public static async Task<TException> ThrowsAsync<TException>(Func<Task> action, string what)
        where TException : Exception
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (TException expected)
        {
            return expected;
        }
        catch (Exception other)
        {
            throw new ContractViolationException($"{what}: expected {typeof(TException).Name}, got {other.GetType().Name}: {other.Message}", other);
        }

        throw new ContractViolationException($"{what}: expected {typeof(TException).Name}, but nothing was thrown.");
    }

    private static string Show<T>(T value) => value is null ? "null" : $"'{value}'";
}
