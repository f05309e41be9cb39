namespace PrivateDep;

public static class DependencyInfo
{
    public static string Describe() => "PrivateDep v1";
}
