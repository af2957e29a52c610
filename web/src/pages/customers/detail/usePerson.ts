export { usePerson } from "../../../api/people";
