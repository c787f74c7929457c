/* true: do nothing, successfully. The smallest program to exec, for
 * spawnbench's fork + exec + wait. */
int main(void)
{
	return 0;
}
